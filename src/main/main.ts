// The Electron app's main process, from start to quit: `main(electron, options)` wires the pieces
// (window registry, write gate, quit guard, protocol, IPC, menu), each tested in Node with a fake
// Electron. Every step that can fail is caught where it is called: a failure is shown in a native
// dialog, and the app quits when it has no window, never leaving an invisible process behind.
import { statSync } from 'node:fs'
import { basename, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { BrowserWindow as ElectronWindow, MessageBoxOptions } from 'electron'
import { z } from 'zod'
import { contract, type Channel, type FileRef } from '../shared/api'
import type { Dispatcher } from './api/handler-host'
import { appDataDir } from './app-data-dir'
import { APP_ORIGIN, APP_SCHEME, APP_SCHEME_PRIVILEGES, rendererHandler } from './app-protocol'
import { databasePathsFromArgv } from './argv'
import { NATIVE_BINDING_ENV } from './db/native-binding'
import { watchDatabase } from './db/watch-database'
import { ensureDemoDatabase } from './demo-file'
import { registerIpc, senderCheck } from './ipc/register-ipc'
import { menuTemplate } from './menu'
import { guardQuit, InFlight } from './quit-guard'
import { RecentFiles } from './recent-files'
import { CONTENT_SECURITY_POLICY } from './security/content-security-policy'
import { hardenContents, hardenSession } from './security/harden'
import { WindowRegistry, type DatabaseWindow } from './window-registry'
import { windowOptions } from './window-options'
import { writeGate } from './write-gate'

/** The parts of Electron main uses; tests pass a fake. */
export type ElectronApi = Pick<
  typeof import('electron'),
  | 'app'
  | 'BrowserWindow'
  | 'dialog'
  | 'ipcMain'
  | 'Menu'
  | 'nativeTheme'
  | 'net'
  | 'protocol'
  | 'session'
  | 'shell'
>

/** What main needs of the database worker (HandlerHost). */
export interface Host {
  add(path: string): Promise<FileRef>
  makeWritable(fileId: string): Promise<void>
  files(): FileRef[]
  dispatch: Dispatcher
  close(): Promise<void>
}

export interface MainOptions {
  /** The built main process's folder (out/main): the worker is in it, the preload and renderer beside. */
  outDir: string
  argv: readonly string[]
  cwd: string
  env?: NodeJS.ProcessEnv
  platform?: NodeJS.Platform
  /** The Electron build of better-sqlite3 (see electron-binding.ts); throws with a message if missing. */
  sqliteBinding(): string | undefined
  /** The database worker, keeping its journal, backups and search indexes in `dataDir`. */
  createHost(workerPath: string, dataDir: string): Host
}

type ShellWindow = DatabaseWindow & { window: ElectronWindow }

export function main(electron: ElectronApi, options: MainOptions): void {
  const { app, BrowserWindow, dialog, ipcMain, Menu, nativeTheme, net, protocol, session, shell } = electron
  const env = options.env ?? process.env
  const platform = options.platform ?? process.platform
  // The lock before anything else: a second launch only hands its arguments to the first and quits.
  if (!app.requestSingleInstanceLock()) {
    app.quit()
    return
  }
  const dataDir = appDataDir(env, platform)
  const devServer = env.ELECTRON_RENDERER_URL
  const origins = [APP_ORIGIN, ...(devServer ? [new URL(devServer).origin] : [])]
  app.setPath('userData', dataDir)
  protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES])

  let host: Host | undefined
  const writes = new InFlight()
  const recent = new RecentFiles(join(dataDir, 'recent-files.json'))
  const registry = new WindowRegistry<ShellWindow>({
    addFile: async (path) => {
      const ref = await host!.add(path)
      // Opened now, so a file that is not a chat history is reported before a window exists.
      const info = await host!.dispatch('files.info', { fileId: ref.fileId })
      const output = info.kind === 'ok' ? (info.output as { ok: boolean; message?: string }) : undefined
      if (!output?.ok) throw new Error(output?.message ?? ('message' in info ? info.message : 'unknown'))
      return ref
    },
    watch: watchDatabase,
    createWindow,
    opened: (ref) => {
      recent.add(ref.path)
      updateMenu()
    },
    warn: (message) => console.warn(message),
  })

  function createWindow(ref: FileRef): ShellWindow {
    const look = { dark: nativeTheme.shouldUseDarkColors, devTools: !app.isPackaged }
    const preload = join(options.outDir, '../preload/index.cjs')
    const window = new BrowserWindow(windowOptions(preload, `${ref.name} — Chat History Viewer`, look))
    window.once('ready-to-show', () => window.show())
    const page = new URL(devServer ?? `${APP_ORIGIN}/index.html`)
    page.searchParams.set('file', ref.fileId)
    window.loadURL(page.toString()).catch((error: Error) => report(`Could not show ${ref.name}`, error))
    return {
      window,
      id: window.webContents.id,
      focus: () => {
        if (window.isMinimized()) window.restore()
        window.focus()
      },
      send: (channel, payload) => {
        if (!window.isDestroyed()) window.webContents.send(channel, payload)
      },
      onClosed: (listener) => window.on('closed', listener),
    }
  }

  /** A failure the user must see; then, with no window left (and no Dock to come back from), quit. */
  function report(title: string, error: unknown): void {
    dialog.showErrorBox(title, error instanceof Error ? error.message : String(error))
    quitIfNoWindow()
  }

  function quitIfNoWindow(): void {
    if (registry.size === 0 && platform !== 'darwin') app.quit()
  }

  /** Opens each path; each failure in a dialog, and the quit (if no window opened) only after the last. */
  async function openAll(paths: readonly string[]): Promise<void> {
    for (const path of paths) {
      await registry.open(path).catch((error: unknown) => {
        const message = error instanceof Error ? error.message : String(error)
        dialog.showErrorBox(`Could not open ${basename(path)}`, message)
      })
    }
    quitIfNoWindow()
  }

  /** Paths from a command line; none: the open windows, or the demo database when there are none. */
  async function openFromArgv(argv: readonly string[], cwd: string): Promise<void> {
    const paths = databasePathsFromArgv(argv, cwd)
    if (paths.length > 0) return openAll(paths)
    if (!registry.focusAny()) await openDemo()
  }

  async function openDemo(): Promise<void> {
    let demo: string
    try {
      demo = ensureDemoDatabase(dataDir)
    } catch (error) {
      return report('Could not make the demo database', error)
    }
    await openAll([demo])
  }

  function updateMenu(): void {
    const focused = () => {
      const window = BrowserWindow.getFocusedWindow()
      return window ? registry.fileOf(window.webContents.id) : undefined
    }
    const template = menuTemplate(
      {
        open: () => void showOpenDialog(),
        openRecent: (path) => void openAll([path]),
        clearRecent: () => {
          recent.clear()
          updateMenu()
        },
        reveal: () => {
          const ref = focused()
          if (ref) shell.showItemInFolder(ref.path)
        },
        about: () =>
          void dialog.showMessageBox({
            title: 'About Chat History Viewer',
            message: `Chat History Viewer ${app.getVersion()}`,
            detail: 'Browse and clean up the chat_history.db files the Python chat app writes.',
          }),
      },
      recent.list(),
      platform,
      !app.isPackaged,
    )
    Menu.setApplicationMenu(Menu.buildFromTemplate(template))
  }

  async function showOpenDialog(): Promise<void> {
    const result = await dialog.showOpenDialog({
      title: 'Open a chat history',
      // Electron 43+ starts in Downloads; a chat history is more often in a project folder.
      defaultPath: recent.list()[0] ?? app.getPath('home'),
      properties: ['openFile', 'multiSelections'],
      filters: [
        { name: 'SQLite databases', extensions: ['db', 'sqlite', 'sqlite3'] },
        { name: 'All files', extensions: ['*'] },
      ],
    })
    await openAll(result.filePaths)
  }

  const ask = async (window: ElectronWindow | undefined, question: MessageBoxOptions) => {
    const { response } = window
      ? await dialog.showMessageBox(window, question)
      : await dialog.showMessageBox(question)
    return response === 1
  }
  const confirmWrite = writeGate<ElectronWindow>({
    files: () => host?.files() ?? [],
    makeWritable: (fileId) => host!.makeWritable(fileId),
    ask: (window, q) =>
      ask(window, {
        type: 'warning',
        message: q.message,
        detail: q.detail,
        buttons: ['Cancel', q.confirmLabel],
        defaultId: 0,
        cancelId: 0,
        noLink: true,
      }),
  })

  // Paths that arrive before the app is ready (macOS open-file on a double-click that launched us,
  // a second instance racing our start): kept, and opened first once it is.
  let ready = false
  const early: string[] = []
  app.on('open-file', (event, path) => {
    event.preventDefault()
    if (ready) void openAll([path])
    else early.push(path)
  })
  app.on('second-instance', (_event, argv, cwd) => {
    if (ready) void openFromArgv(argv, cwd)
    else early.push(...databasePathsFromArgv(argv, cwd))
  })
  app.on('web-contents-created', (_event, contents) =>
    hardenContents(contents, (url) => shell.openExternal(url)),
  )
  app.on('window-all-closed', () => {
    if (platform !== 'darwin') app.quit()
  })
  // macOS: the Dock icon with no window open opens one (the last file, or the demo).
  app.on('activate', () => {
    if (!ready || registry.size > 0) return
    const last = recent.list()[0]
    void (last ? openAll([last]) : openDemo())
  })
  guardQuit(app, writes, (message, detail) => void dialog.showMessageBox({ type: 'info', message, detail }))
  app.on('will-quit', () => void host?.close())

  async function start(): Promise<void> {
    // Before anything loads better-sqlite3 (the demo database here, the worker it starts).
    const binding = options.sqliteBinding()
    if (binding) env[NATIVE_BINDING_ENV] = binding
    host = options.createHost(join(options.outDir, 'handler-worker.js'), dataDir)
    hardenSession(session.defaultSession, origins)
    const rendererDir = join(options.outDir, '../renderer')
    const isFile = (path: string) => statSync(path, { throwIfNoEntry: false })?.isFile() ?? false
    protocol.handle(
      APP_SCHEME,
      rendererHandler(rendererDir, CONTENT_SECURITY_POLICY, isFile, (file) =>
        net.fetch(pathToFileURL(file).toString()),
      ),
    )
    const dispatch: Dispatcher = (channel, input) => {
      const write = Object.hasOwn(contract, channel) && contract[channel as Channel].write
      return write ? writes.track(async () => host!.dispatch(channel, input)) : host!.dispatch(channel, input)
    }
    registerIpc(ipcMain, dispatch, {
      isTrustedSender: senderCheck((id) => registry.has(id), origins),
      confirmWrite: (event, channel, input) =>
        confirmWrite(BrowserWindow.fromWebContents(event.sender) ?? undefined, channel, input),
      shell: {
        // A file dropped on a window: the path comes from the preload's webUtils, never from page script.
        'app.openDropped': {
          input: z.string().min(1).max(4096),
          handle: (_event, path: string) => openAll([path]),
        },
      },
    })
    updateMenu()
    ready = true
    const given = databasePathsFromArgv(options.argv, options.cwd)
    if (early.length || given.length) await openAll([...early.splice(0), ...given])
    else await openDemo()
  }

  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      dialog.showErrorBox('Chat History Viewer could not start', (error as Error).message ?? String(error))
      if (registry.size === 0) app.quit()
    })
}
