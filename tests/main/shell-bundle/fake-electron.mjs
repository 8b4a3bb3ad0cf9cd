// Enough of Electron's main-process API to run the built out/main/index.js in Node. Everything the app
// does with it is reported on stdout as one JSON object a line; once the first page loads, it asks what
// the page would (the app:// protocol, an IPC call, a permission check), reports the answers and quits.
import { EventEmitter } from 'node:events'
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'

const report = (event) => process.stdout.write(`${JSON.stringify(event)}\n`)
Object.defineProperty(process.versions, 'electron', { value: process.env.FAKE_ELECTRON_VERSION })
const packaged = process.env.FAKE_PACKAGED === '1'
// Where a packaged app's extraResources are (Electron sets it; Node has none).
if (packaged) process.resourcesPath = `${process.env.FAKE_APP_DIR}/resources`
// A packaged app's argv is the executable then the files; Node's has the script's path between them.
if (packaged) process.argv.splice(1, 1)

const ipc = new Map()
let appProtocol
let permissionCheck
let probed = false

export const app = Object.assign(new EventEmitter(), {
  isPackaged: packaged,
  requestSingleInstanceLock: () => true,
  quit() {
    report({ quit: true })
    app.emit('will-quit')
    setTimeout(() => process.exit(0), 300)
  },
  setPath: () => undefined,
  getAppPath: () => process.env.FAKE_APP_DIR,
  getPath: () => process.env.FAKE_APP_DIR,
  getVersion: () => '0.0.0',
  whenReady: () => Promise.resolve(),
})

let nextId = 1
export class BrowserWindow extends EventEmitter {
  constructor(options) {
    super()
    this.webContents = { id: nextId++, send: (channel, payload) => report({ send: channel, payload }) }
    report({ window: options.title, backgroundColor: options.backgroundColor, ...options.webPreferences })
  }
  loadURL(url) {
    report({ load: url })
    setImmediate(() => this.emit('ready-to-show'))
    if (!probed) {
      probed = true
      setTimeout(() => void probe(this, url), 50)
    }
    return Promise.resolve()
  }
  show() {}
  focus() {}
  isMinimized = () => false
  restore() {}
  isDestroyed = () => false
  static getFocusedWindow = () => null
  static fromWebContents = () => null
}

async function probe(window, url) {
  const page = await appProtocol({ url: 'app://renderer/index.html' })
  const missing = await appProtocol({ url: 'app://renderer/assets/' })
  const event = { sender: { id: window.webContents.id }, senderFrame: { url, parent: null } }
  report({
    page: {
      status: page.status,
      csp: page.headers.get('Content-Security-Policy'),
      html: (await page.text()).length,
    },
    folder: missing.status,
    filesList: await ipc.get('files.list')(event, {}),
    fromElsewhere: await ipc.get('files.list')(
      { ...event, senderFrame: { url: 'https://x.example/', parent: null } },
      {},
    ),
    clipboardWrite: permissionCheck(null, 'clipboard-sanitized-write', 'app://renderer'),
    clipboardRead: permissionCheck(null, 'clipboard-read', 'app://renderer'),
  })
  // A delete, as the Clean up panel asks for it: refused at the first native question, then confirmed.
  const fileId = new URL(url).searchParams.get('file')
  const plan = await ipc.get('delete.plan')(event, { fileId, conversationIds: ['demo-app-flow'] })
  const { planId, all, conversationsTotal, rows } = plan.output.value
  const apply = { fileId, planId, all, conversations: conversationsTotal, rows }
  const cancelled = await ipc.get('delete.apply')(event, apply)
  answer = 1
  const deleted = await ipc.get('delete.apply')(event, apply)
  report({ cancelled, deleted, questions })
  app.quit()
}

// The native questions main asks, and the button the user picks (0: Cancel, the default).
let answer = 0
const questions = []

export const dialog = {
  showErrorBox: (title, message) => {
    report({ errorBox: title, message })
  },
  showMessageBox: async (...args) => {
    questions.push(args.at(-1).message)
    return { response: answer }
  },
  showOpenDialog: async () => ({ filePaths: [] }),
}
export const ipcMain = { handle: (channel, listener) => ipc.set(channel, listener) }
export const Menu = { buildFromTemplate: (template) => template, setApplicationMenu: () => undefined }
export const nativeTheme = { shouldUseDarkColors: false }
export const net = {
  fetch: async (url) => new Response(await readFile(fileURLToPath(url)), { headers: { 'X-From': 'file' } }),
}
export const protocol = {
  registerSchemesAsPrivileged: (schemes) => report({ schemes }),
  handle: (_scheme, handler) => (appProtocol = handler),
}
export const session = {
  defaultSession: {
    setPermissionRequestHandler: () => undefined,
    setPermissionCheckHandler: (handler) => (permissionCheck = handler),
  },
}
export const shell = { openExternal: () => undefined, showItemInFolder: () => undefined }
export default { app, BrowserWindow, dialog, ipcMain, Menu, nativeTheme, net, protocol, session, shell }
