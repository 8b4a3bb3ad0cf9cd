// main() from start to quit, against a fake Electron and a fake database worker: the order of steps,
// and what happens when one fails (Electron itself cannot run here).
import { EventEmitter } from 'node:events'
import { writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it, vi } from 'vitest'
import type { FileRef } from '../../src/shared/api'
import { main, type Host } from '../../src/main/main'
import { tempDir } from '../helpers/files'

function fakeElectron(options: { lock?: boolean } = {}) {
  const log: string[] = []
  let ready: () => void = () => undefined
  const whenReady = new Promise<void>((done) => (ready = done))
  const windows: FakeWindow[] = []
  let nextId = 1
  class FakeWindow extends EventEmitter {
    webContents = { id: nextId++, send: vi.fn() }
    url = ''
    focused = 0
    constructor(readonly options: { title: string; backgroundColor: string }) {
      super()
      windows.push(this)
      log.push(`window ${options.title}`)
    }
    loadURL(url: string) {
      this.url = url
      return Promise.resolve()
    }
    show() {}
    focus() {
      this.focused++
    }
    isMinimized = () => false
    restore() {}
    isDestroyed = () => false
    close() {
      this.emit('closed')
    }
    static getFocusedWindow = () => null
    static fromWebContents = () => null
  }
  const app = Object.assign(new EventEmitter(), {
    isPackaged: false,
    requestSingleInstanceLock: () => {
      log.push('lock')
      return options.lock ?? true
    },
    quit: () => log.push('quit'),
    setPath: () => log.push('setPath'),
    whenReady: () => whenReady,
    getVersion: () => '0.1.0',
    getPath: () => '/home/u',
  })
  const errors: [string, string][] = []
  const electron = {
    app,
    BrowserWindow: FakeWindow,
    dialog: {
      showErrorBox: (title: string, message: string) => errors.push([title, message]),
      showMessageBox: vi.fn(async () => ({ response: 0 })),
      showOpenDialog: vi.fn(async () => ({ filePaths: [] })),
    },
    ipcMain: { handle: vi.fn() },
    Menu: { buildFromTemplate: (t: unknown) => t, setApplicationMenu: vi.fn() },
    nativeTheme: { shouldUseDarkColors: true },
    net: { fetch: vi.fn() },
    protocol: {
      registerSchemesAsPrivileged: () => log.push('schemes'),
      handle: () => log.push('protocol'),
    },
    session: {
      defaultSession: { setPermissionRequestHandler: vi.fn(), setPermissionCheckHandler: vi.fn() },
    },
    shell: { openExternal: vi.fn(), showItemInFolder: vi.fn() },
  }
  return { electron, app, log, windows, errors, ready }
}

/** The database worker: every file opens, except those named *bad*. */
function fakeHost(log: string[]): Host {
  const refs: FileRef[] = []
  return {
    add: async (path) => {
      const ref = { fileId: `f${refs.length + 1}`, path, name: basename(path) }
      refs.push(ref)
      return ref
    },
    files: () => refs,
    makeWritable: async () => undefined,
    dispatch: async (_channel, input) => {
      const ref = refs.find((r) => r.fileId === (input as { fileId: string }).fileId)!
      return ref.path.includes('bad')
        ? {
            kind: 'ok',
            output: { ok: false, reason: 'not_a_database', message: `${ref.name} is not a database` },
          }
        : { kind: 'ok', output: { ok: true, value: ref } }
    },
    close: async () => void log.push('host closed'),
  }
}

function start(
  argv: string[],
  options: { lock?: boolean; platform?: NodeJS.Platform; binding?: () => string | undefined } = {},
) {
  const fake = fakeElectron(options)
  const dataDir = tempDir()
  const env: NodeJS.ProcessEnv = { CHV_DATA_DIR: dataDir }
  main(fake.electron as never, {
    outDir: '/app/out/main',
    argv: ['/usr/bin/chat-history-viewer', ...argv],
    cwd: dataDir,
    env,
    platform: options.platform ?? 'linux',
    sqliteBinding: options.binding ?? (() => undefined),
    createHost: () => {
      fake.log.push('host')
      return fakeHost(fake.log)
    },
  })
  return { ...fake, dataDir, env }
}

const file = (dir: string, name: string) => {
  writeFileSync(join(dir, name), 'x')
  return join(dir, name)
}

describe('main()', () => {
  it('as a second instance, only asks for the lock and quits', () => {
    const { log, app } = start(['a.db'], { lock: false })
    expect(log).toEqual(['lock', 'quit'])
    expect(app.listenerCount('open-file')).toBe(0)
  })

  it('opens the files it was given in windows, after the worker, the protocol and IPC are ready', async () => {
    const dir = tempDir()
    const { log, windows, ready, electron } = start([file(dir, 'a.db'), file(dir, 'b.db')])
    expect(log).toEqual(['lock', 'setPath', 'schemes'])
    ready()
    await vi.waitFor(() => expect(windows).toHaveLength(2))
    expect(log.slice(3)).toEqual([
      'host',
      'protocol',
      'window a.db — Chat History Viewer',
      'window b.db — Chat History Viewer',
    ])
    expect(windows[0]!.url).toBe('app://renderer/index.html?file=f1')
    expect(windows[0]!.options.backgroundColor).toBe('#16181d') // the fake system is dark
    // The permission handlers know our origin (the copy buttons work there only).
    expect(electron.session.defaultSession.setPermissionRequestHandler).toHaveBeenCalled()
  })

  it('opens the demo database when given no file', async () => {
    const { windows, ready } = start([])
    ready()
    await vi.waitFor(() => expect(windows).toHaveLength(1))
    expect(windows[0]!.options.title).toBe('demo.db — Chat History Viewer')
  })

  it('opens, first, files macOS handed over before the app was ready', async () => {
    const dir = tempDir()
    const { app, windows, ready } = start([], { platform: 'darwin' })
    const event = { preventDefault: vi.fn() }
    app.emit('open-file', event, file(dir, 'double-clicked.db'))
    expect(event.preventDefault).toHaveBeenCalled()
    ready()
    await vi.waitFor(() => expect(windows).toHaveLength(1))
    expect(windows[0]!.options.title).toBe('double-clicked.db — Chat History Viewer')
  })

  it('says why it could not start, and quits instead of staying invisible', async () => {
    const { errors, log, ready, windows } = start([], {
      binding: () => {
        throw new Error('better-sqlite3 is not built for Electron 45.5.0')
      },
    })
    ready()
    await vi.waitFor(() => expect(log).toContain('quit'))
    expect(errors).toEqual([
      ['Chat History Viewer could not start', 'better-sqlite3 is not built for Electron 45.5.0'],
    ])
    expect(windows).toHaveLength(0)
  })

  it('says why a file did not open, and goes on with the next one', async () => {
    const dir = tempDir()
    const { errors, log, ready, windows } = start([file(dir, 'bad.db'), file(dir, 'good.db')])
    ready()
    await vi.waitFor(() => expect(windows).toHaveLength(1))
    expect(errors).toEqual([['Could not open bad.db', 'bad.db is not a database']])
    expect(windows[0]!.options.title).toBe('good.db — Chat History Viewer')
    expect(log).not.toContain('quit')
  })

  it('says why a file did not open, and quits when no window is left', async () => {
    const dir = tempDir()
    const { errors, log, ready } = start([file(dir, 'bad.db')])
    ready()
    await vi.waitFor(() => expect(log).toContain('quit'))
    expect(errors).toEqual([['Could not open bad.db', 'bad.db is not a database']])
  })

  it('focuses the open window when a second launch names its file, and opens a new one otherwise', async () => {
    const dir = tempDir()
    const a = file(dir, 'a.db')
    const { app, windows, ready } = start([a])
    ready()
    await vi.waitFor(() => expect(windows).toHaveLength(1))
    app.emit('second-instance', {}, ['/usr/bin/chv', a], dir)
    file(dir, 'b.db')
    // A Linux desktop's %U: a file:// URI.
    app.emit('second-instance', {}, ['/usr/bin/chv', pathToFileURL(join(dir, 'b.db')).toString()], dir)
    await vi.waitFor(() => expect(windows).toHaveLength(2))
    expect(windows[0]!.focused).toBeGreaterThan(0)
  })

  it('on macOS, opens a window again from the Dock once the last one closed', async () => {
    const dir = tempDir()
    const { app, windows, ready, log } = start([file(dir, 'a.db')], { platform: 'darwin' })
    ready()
    await vi.waitFor(() => expect(windows).toHaveLength(1))
    windows[0]!.close()
    app.emit('window-all-closed')
    expect(log).not.toContain('quit')
    app.emit('activate')
    await vi.waitFor(() => expect(windows).toHaveLength(2))
    expect(windows[1]!.options.title).toBe('a.db — Chat History Viewer') // the last file opened
  })

  it('closes the database worker when it quits', async () => {
    const { app, ready, windows, log } = start([])
    ready()
    await vi.waitFor(() => expect(windows).toHaveLength(1))
    app.emit('will-quit')
    await vi.waitFor(() => expect(log).toContain('host closed'))
  })
})
