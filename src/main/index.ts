// The Electron shell: windows, menus, dialogs, the app:// protocol. Thin on purpose: the logic it wires
// together (window options, IPC registration, menus, paths) is plain TypeScript tested in Node.
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  net,
  protocol,
  session,
  shell,
  type IpcMainInvokeEvent,
} from 'electron'
import { z } from 'zod'
import { FILE_CHANGED, type Channel } from '../shared/api'
import { HandlerHost } from './api/handler-host'
import { appDataDir } from './app-data-dir'
import { APP_ORIGIN, APP_SCHEME, rendererFileFor } from './app-protocol'
import { databasePathsFromArgv } from './argv'
import { watchDatabase } from './db/watch-database'
import { ensureDemoDatabase } from './demo-file'
import { registerIpc, senderCheck } from './ipc/register-ipc'
import { menuTemplate } from './menu'
import { RecentFiles } from './recent-files'
import { CONTENT_SECURITY_POLICY } from './security/content-security-policy'
import { hardenContents, hardenSession } from './security/harden'
import { windowOptions } from './window-options'
import { confirmationFor, switchToWriting, type Confirmation } from './write-confirmation'

const DEV_SERVER = process.env.ELECTRON_RENDERER_URL
const RENDERER_DIR = join(import.meta.dirname, '../renderer')
const PRELOAD = join(import.meta.dirname, '../preload/index.cjs')
const DATA_DIR = appDataDir()

app.setPath('userData', DATA_DIR)
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
])

interface DatabaseWindow {
  window: BrowserWindow
  path: string
  fileId: string
}

// Database work runs in a worker thread, so no query ever stalls the windows or the menus.
// Files open read-only; the worker may write once main has asked the user (see confirmWrite).
const handlers = new HandlerHost(join(import.meta.dirname, 'handler-worker.js'), {
  mode: 'read',
  snapshotDir: join(DATA_DIR, 'snapshots'),
  searchDir: join(DATA_DIR, 'search'),
  allowWrite: true,
})
const writable = new Set<string>()

async function ask(window: BrowserWindow | null, question: Confirmation): Promise<boolean> {
  const options = {
    type: 'warning' as const,
    message: question.message,
    detail: question.detail,
    buttons: ['Cancel', question.confirmLabel],
    defaultId: 0,
    cancelId: 0,
    noLink: true,
  }
  const { response } = window
    ? await dialog.showMessageBox(window, options)
    : await dialog.showMessageBox(options)
  return response === 1
}

/** Native dialogs before any change: switching the file to writing (once), then the operation itself. */
async function confirmWrite(event: IpcMainInvokeEvent, channel: Channel, input: unknown): Promise<boolean> {
  const fileId = (input as { fileId?: unknown } | null)?.fileId
  const ref = handlers.files().find((f) => f.fileId === fileId)
  const question = ref && confirmationFor(channel, input, ref.name)
  if (!ref || !question) return true // invalid input: the handlers refuse it with a message
  const window = BrowserWindow.fromWebContents(event.sender)
  if (!writable.has(ref.fileId)) {
    if (!(await ask(window, switchToWriting(ref.name)))) return false
    await handlers.makeWritable(ref.fileId)
    writable.add(ref.fileId)
  }
  return ask(window, question)
}
const recent = new RecentFiles(join(DATA_DIR, 'recent-files.json'))
const windows = new Map<number, DatabaseWindow>()

async function openDatabase(path: string): Promise<void> {
  const open = [...windows.values()].find((w) => w.path === path)
  if (open) {
    open.window.focus()
    return
  }
  const ref = await handlers.add(path)
  const window = new BrowserWindow(windowOptions(PRELOAD, `${ref.name} — Chat History Viewer`))
  const id = window.webContents.id
  windows.set(id, { window, path: ref.path, fileId: ref.fileId })
  const stopWatching = watchDatabase(ref.path, () =>
    window.webContents.send(FILE_CHANGED, { fileId: ref.fileId }),
  )
  window.once('ready-to-show', () => window.show())
  window.on('closed', () => {
    stopWatching()
    windows.delete(id)
  })
  recent.add(ref.path)
  updateMenu()
  const page = DEV_SERVER ? new URL(DEV_SERVER) : new URL(`${APP_ORIGIN}/index.html`)
  page.searchParams.set('file', ref.fileId)
  void window.loadURL(page.toString())
}

function focusedDatabase(): DatabaseWindow | undefined {
  const focused = BrowserWindow.getFocusedWindow()
  return focused ? windows.get(focused.webContents.id) : undefined
}

async function showOpenDialog(): Promise<void> {
  const result = await dialog.showOpenDialog({
    title: 'Open a chat history',
    properties: ['openFile', 'multiSelections'],
    filters: [
      { name: 'SQLite databases', extensions: ['db', 'sqlite', 'sqlite3'] },
      { name: 'All files', extensions: ['*'] },
    ],
  })
  for (const path of result.filePaths) await openDatabase(path)
}

function updateMenu(): void {
  const template = menuTemplate(
    {
      open: () => void showOpenDialog(),
      openRecent: (path) => void openDatabase(path),
      clearRecent: () => {
        recent.clear()
        updateMenu()
      },
      reveal: () => {
        const current = focusedDatabase()
        if (current) shell.showItemInFolder(current.path)
      },
      about: () =>
        void dialog.showMessageBox({
          title: 'About Chat History Viewer',
          message: `Chat History Viewer ${app.getVersion()}`,
          detail: 'Browse and clean up the chat_history.db files an LLM chat app writes.',
        }),
    },
    recent.list(),
    process.platform,
    !app.isPackaged,
  )
  Menu.setApplicationMenu(Menu.buildFromTemplate(template))
}

async function openFromArgv(argv: readonly string[], cwd: string): Promise<void> {
  const paths = databasePathsFromArgv(argv, cwd)
  if (paths.length > 0) for (const path of paths) await openDatabase(path)
  else if (windows.size === 0) await openDatabase(ensureDemoDatabase(DATA_DIR))
  else [...windows.values()][0]!.window.focus()
}

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  // A second launch with a path opens it here, in a new window.
  app.on('second-instance', (_event, argv, cwd) => void openFromArgv(argv, cwd))
  app.on('open-file', (event, path) => {
    event.preventDefault()
    if (app.isReady()) void openDatabase(path)
  })
  app.on('web-contents-created', (_event, contents) =>
    hardenContents(contents, (url) => shell.openExternal(url)),
  )
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
  app.on('will-quit', () => void handlers.close())

  void app.whenReady().then(() => {
    hardenSession(session.defaultSession)
    protocol.handle(APP_SCHEME, async (request) => {
      const file = rendererFileFor(request.url, RENDERER_DIR)
      if (!file) return new Response('Not found', { status: 404 })
      const response = await net.fetch(pathToFileURL(file).toString())
      const headers = new Headers(response.headers)
      headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY)
      return new Response(response.body, { status: response.status, headers })
    })
    const origins = [APP_ORIGIN, ...(DEV_SERVER ? [new URL(DEV_SERVER).origin] : [])]
    registerIpc(ipcMain, handlers.dispatch, {
      isTrustedSender: senderCheck((id) => windows.has(id), origins),
      confirmWrite,
      shell: {
        // A file dropped on a window: the path comes from the preload's webUtils, never from page script.
        'app.openDropped': {
          input: z.string().min(1).max(4096),
          handle: (_event, path: string) => openFromArgv(['', path], process.cwd()),
        },
      },
    })
    updateMenu()
    void openFromArgv(process.argv.slice(app.isPackaged ? 0 : 1), process.cwd())
  })
}
