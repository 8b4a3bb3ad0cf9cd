// Read-only places, as another user (root reads and writes everywhere, so chmod alone proves nothing):
// a WAL file in a folder that user cannot write is read as an immutable copy, and says so.
import { spawnSync } from 'node:child_process'
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { ChatRepository } from '../../src/main/db/repository'
import { demoFile } from '../helpers/demo'
import { sha256 } from '../helpers/files'

// CHV_CLI: a build elsewhere, for runs while others rebuild out/ in the same tree.
const CHV = process.env.CHV_CLI ?? fileURLToPath(new URL('../../out/cli/chv.js', import.meta.url))
const NOBODY = '65534'
const BETTER_SQLITE3 = fileURLToPath(new URL('../../node_modules/better-sqlite3', import.meta.url))

const made: string[] = []
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true })
})

/** A folder only root may write, holding a copy of `source` that anyone may read, and a data folder. */
function readOnlyFolder(source: string): { path: string; data: string } {
  // Under /tmp itself (not a test folder of mode 700), so the other user can reach it.
  const top = mkdtempSync(join(tmpdir(), 'chv-ro-'))
  made.push(top)
  chmodSync(top, 0o755)
  const data = join(top, 'data')
  mkdirSync(data, { mode: 0o777 })
  chmodSync(data, 0o777)
  const dir = join(top, 'history')
  mkdirSync(dir, { mode: 0o755 })
  const path = join(dir, 'chat_history.db')
  copyFileSync(source, path)
  chmodSync(path, 0o644)
  return { path, data }
}

function asNobody(args: string[], data: string) {
  const r = spawnSync(
    'setpriv',
    ['--reuid', NOBODY, '--regid', NOBODY, '--clear-groups', process.execPath, CHV, ...args],
    {
      encoding: 'utf8',
      env: { ...process.env, CHV_DATA_DIR: data, HOME: data },
    },
  )
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

/** The demo history, checkpointed, in WAL mode, without -wal or -shm beside it. */
function settledWalFile(): string {
  const path = demoFile()
  const db = new Database(path)
  db.pragma('wal_checkpoint(TRUNCATE)')
  expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
  db.close()
  for (const side of ['-wal', '-shm']) rmSync(`${path}${side}`, { force: true })
  return path
}

describe('a WAL-mode file on a read-only mount', () => {
  it('is read as an immutable copy, and says so (it said "cannot be opened." with no reason)', (context) => {
    const source = join(mkdtempSync(join(tmpdir(), 'chv-mount-src-')), 'history')
    const target = mkdtempSync(join(tmpdir(), 'chv-mount-ro-'))
    made.push(dirname(source), target)
    mkdirSync(source)
    copyFileSync(settledWalFile(), join(source, 'chat_history.db'))
    const mount = spawnSync('mount', ['--bind', '-o', 'ro', source, target])
    if (mount.status !== 0)
      context.skip('cannot make a read-only bind mount here (needs root and mount rights)')
    try {
      spawnSync('mount', ['-o', 'remount,ro,bind', target])
      const r = spawnSync(process.execPath, [CHV, 'ls', join(target, 'chat_history.db')], {
        encoding: 'utf8',
        env: { ...process.env, CHV_DATA_DIR: join(dirname(source), 'data') },
      })
      expect(r.status, r.stderr).toBe(0)
      expect(r.stdout).toMatch(/demo-weather-paris/)
      expect(r.stderr).toMatch(/^chv: note: .*read-only copy: live updates off .*\.\n$/)
    } finally {
      spawnSync('umount', [target])
    }
  })
})

describe('a WAL-mode file in a folder the user cannot write', () => {
  it('is listed and shown from an immutable copy, with one line saying live updates are off', (context) => {
    if (process.getuid?.() !== 0) context.skip('runs chv as another user with setpriv, which needs root')
    const source = settledWalFile()
    const reading = ChatRepository.open(source)
    const expected = reading.listConversations()
    reading.close()
    const { path, data } = readOnlyFolder(settledWalFile())
    const before = sha256(path)
    const ls = asNobody(['ls', path, '--json'], data)
    expect(ls.code, ls.stderr).toBe(0)
    expect((JSON.parse(ls.stdout) as { conversation_id: string }[]).map((c) => c.conversation_id)).toEqual(
      expected,
    )
    expect(ls.stderr).toMatch(/^chv: note: .*chat_history\.db: read-only copy: live updates off .*\.\n$/)
    const show = asNobody(['show', path, 'demo-weather-paris'], data)
    expect(show.code, show.stderr).toBe(0)
    expect(show.stdout).toContain('get_weather')
    // Nothing made or changed beside the file.
    expect(readdirSync(join(path, '..'))).toEqual(['chat_history.db'])
    expect(sha256(path)).toBe(before)
  })

  it('a file this user may not read: permission is named as the reason', (context) => {
    if (process.getuid?.() !== 0) context.skip('runs chv as another user with setpriv, which needs root')
    const { path, data } = readOnlyFolder(settledWalFile())
    chmodSync(path, 0o600)
    const r = asNobody(['ls', path], data)
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(
      /^chv: .*chat_history\.db cannot be opened: permission denied \(this user may not read it\)\.\n$/,
    )
  })

  it('a hot journal left by a crashed writer is named as such', (context) => {
    if (process.getuid?.() !== 0) context.skip('runs chv as another user with setpriv, which needs root')
    // A rollback-mode file with a -journal that has content: SQLite must roll it back before reading.
    const source = settledWalFile()
    const db = new Database(source)
    db.pragma('journal_mode = DELETE')
    db.close()
    const { path, data } = readOnlyFolder(source)
    // A hot journal needs a valid header: a writer that exits inside its transaction leaves one (kept
    // aside in case closing the connection on exit rolls it back).
    const journal = `${path}-journal`
    const writer = spawnSync(process.execPath, [
      '-e',
      `const D = require(${JSON.stringify(BETTER_SQLITE3)}); const db = new D(${JSON.stringify(path)});
       db.pragma('cache_size = 1'); db.exec('BEGIN'); db.exec("UPDATE chat_events SET content = content || randomblob(1000)");
       require('fs').copyFileSync(${JSON.stringify(journal)}, ${JSON.stringify(journal)} + '.keep'); process.exit(0)`,
    ])
    expect(writer.status, writer.stderr?.toString()).toBe(0)
    if (!existsSync(`${journal}.keep`)) context.skip('could not make a hot journal here')
    copyFileSync(`${journal}.keep`, journal)
    rmSync(`${journal}.keep`)
    chmodSync(journal, 0o644)
    const r = asNobody(['ls', path], data)
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(
      /^chv: .*chat_history\.db cannot be opened here: a crashed writer left a hot journal/,
    )
    expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1)
  })
})
