// The built main process (out/main/index.js, as Electron would load it) run in Node against a fake
// Electron (shell-bundle/fake-electron.mjs), with the real database worker: what the unit tests of the
// sources cannot see (the bundle's own module scope, paths beside the build, the worker's binding).
import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { electronBindingPath } from '../../src/main/electron-binding'
import { demoFile } from '../helpers/demo'
import { tempDir } from '../helpers/files'

const require = createRequire(import.meta.url)
const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const ELECTRON = '45.5.0'

/** Runs out/main/index.js, with a stand-in for the Electron build of better-sqlite3 where main looks for it. */
function runMain(
  args: string[],
  binding: 'node-build' | 'none' | 'broken',
  packaged = false,
): Record<string, unknown>[] {
  const appDir = tempDir()
  if (binding !== 'none') {
    const path = electronBindingPath(
      {
        electron: ELECTRON,
        betterSqlite3: (require('better-sqlite3/package.json') as { version: string }).version,
        platform: process.platform,
        arch: process.arch,
      },
      packaged ? { resources: join(appDir, 'resources') } : { nodeModules: join(appDir, 'node_modules') },
    )
    mkdirSync(dirname(path), { recursive: true })
    // Node runs this main process, so Node's build stands in for Electron's.
    if (binding === 'broken') writeFileSync(path, 'not a shared library')
    else
      copyFileSync(
        join(dirname(require.resolve('better-sqlite3/package.json')), 'build/Release/better_sqlite3.node'),
        path,
      )
  }
  const run = spawnSync(
    process.execPath,
    [
      '--import',
      './tests/main/shell-bundle/register.mjs',
      'out/main/index.js',
      '/usr/bin/chat-history-viewer',
      ...args,
    ],
    {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 30_000,
      env: {
        ...process.env,
        FAKE_ELECTRON_VERSION: ELECTRON,
        FAKE_APP_DIR: appDir,
        FAKE_PACKAGED: packaged ? '1' : '0',
        CHV_DATA_DIR: tempDir(),
      },
    },
  )
  expect(run.status, run.stderr).toBe(0)
  return run.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>)
}

describe('the built main process', () => {
  it('opens a file in a window served from app://, answers IPC from it only, asks before a write', () => {
    const db = demoFile()
    const events = runMain([db], 'node-build')
    expect(events).toContainEqual(
      expect.objectContaining({
        window: 'chat_history.db — Chat History Viewer',
        sandbox: true,
        contextIsolation: true,
      }),
    )
    expect(events).toContainEqual({ load: 'app://renderer/index.html?file=f1' })
    expect(events).toContainEqual(
      expect.objectContaining({
        page: expect.objectContaining({ status: 200, csp: expect.stringContaining("default-src 'none'") }),
        folder: 404,
        filesList: { kind: 'ok', output: [{ fileId: 'f1', path: db, name: 'chat_history.db' }] },
        fromElsewhere: { kind: 'error', message: expect.stringContaining('did not come from the app') },
        clipboardWrite: true,
        clipboardRead: false,
      }),
    )
    // Writes: a Cancel in main's dialog is a value the page shows, as over HTTP; a yes goes through.
    expect(events).toContainEqual({
      cancelled: {
        kind: 'ok',
        output: { ok: false, reason: 'cancelled', message: 'Cancelled: nothing was changed.' },
      },
      deleted: { kind: 'ok', output: expect.objectContaining({ ok: true }) },
      questions: [
        'Open chat_history.db for writing?',
        'Open chat_history.db for writing?',
        'Delete 1 conversation from chat_history.db?',
      ],
    })
    // The window hears of the change (the file's watcher), as it would of the chat app's writes.
    expect(events).toContainEqual({ send: 'files.changed', payload: { fileId: 'f1' } })
    expect(events).toContainEqual({ quit: true })
  })

  it('says why it cannot start without better-sqlite3 built for Electron, and quits', () => {
    const events = runMain([demoFile()], 'none')
    expect(events).toContainEqual({
      errorBox: 'Chat History Viewer could not start',
      message: expect.stringContaining(`better-sqlite3 is not built for Electron ${ELECTRON}`),
    })
    expect(events.some((e) => 'window' in e)).toBe(false)
    expect(events.at(-1)).toEqual({ quit: true })
  })

  it('has the database worker load the Electron build it names, never npm`s', () => {
    // A file that is no shared library: the worker must fail on it, where npm's build would have worked.
    const events = runMain([demoFile()], 'broken')
    expect(events).toContainEqual({ errorBox: 'Could not open chat_history.db', message: expect.any(String) })
    expect(events.some((e) => 'window' in e)).toBe(false)
    expect(events.at(-1)).toEqual({ quit: true })
  })

  it('packaged: loads the Electron build from the resources folder, with DevTools off', () => {
    // A packaged app's argv has no app folder: the file comes right after the executable.
    const events = runMain([demoFile()], 'node-build', true)
    expect(events).toContainEqual(
      expect.objectContaining({ window: 'chat_history.db — Chat History Viewer', devTools: false }),
    )
    expect(events).toContainEqual(expect.objectContaining({ clipboardWrite: true }))
    expect(events.some((e) => 'errorBox' in e)).toBe(false)
  })
})
