// Destructive work meeting a busy writer, a full disk, a replaced file, a file it may not write: it
// refuses with a clear message, and the file is as it was.
import { spawn, spawnSync } from 'node:child_process'
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { DbError } from '../../../src/main/db/errors'
import { ChatRepository } from '../../../src/main/db/repository'
import { demoFile } from '../../helpers/demo'
import { sha256, tempDir } from '../../helpers/files'
import { rowsOf } from '../../helpers/rows'

const pending = (repo: ChatRepository) => repo.planCompaction(null, 1).replies.length
const journal = () => ({ dataDir: tempDir() })

function settled(path: string): string {
  ChatRepository.open(path, { mode: 'write' }).close() // checkpoint and close: the file alone holds it all
  return path
}

/** Python holds the write lock for `seconds`, as a slow chat app transaction would; resolves once held. */
async function holdWriteLock(path: string, seconds: number): Promise<{ exited: Promise<number | null> }> {
  const child = spawn('python3', [
    '-c',
    `import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN IMMEDIATE")
print("held", flush=True)
time.sleep(float(sys.argv[2]))
c.execute("ROLLBACK")`,
    path,
    String(seconds),
  ])
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve))
  await new Promise<void>((resolve) => child.stdout.on('data', () => resolve()))
  // Wrapped: an async function returning the promise itself would wait for it.
  return { exited }
}

describe('a busy chat app', () => {
  it('holding the lock longer than we wait: "try again", nothing changed', async () => {
    const path = settled(demoFile())
    const repo = ChatRepository.open(path, { mode: 'write', busyTimeoutMs: 200 })
    const plan = repo.planCompaction(null, 1)
    const holder = await holdWriteLock(path, 2.5)
    let error: unknown
    try {
      repo.compact(plan, journal())
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(DbError)
    expect((error as DbError).message).toMatch(
      /is busy: another program \(the chat app\?\) is writing to it\. Nothing was changed; try again\./,
    )
    expect(await holder.exited).toBe(0)
    expect(pending(repo)).toBe(1)
  })

  it('holding it briefly: we wait and succeed', async () => {
    const path = settled(demoFile())
    const repo = ChatRepository.open(path, { mode: 'write' })
    const plan = repo.planCompaction(null, 1)
    const holder = await holdWriteLock(path, 0.3)
    expect(repo.compact(plan, journal())).toMatchObject({ compacted: 1 })
    expect(await holder.exited).toBe(0)
  })
})

describe('a full disk', () => {
  it('during the write: refused as disk_full, nothing changed, and it works once there is room', () => {
    const repo = ChatRepository.open(settled(demoFile()), { mode: 'write' })
    const data = tempDir()
    repo.addEvents(
      Array.from({ length: 20 }, () => ({ conversation_id: 'big', type: 'meta', content: 'z'.repeat(3000) })),
    )
    const { entryId } = repo.deleteConversations(repo.planDeletion(['big']), { dataDir: data })
    const pages = repo.db.pragma('page_count', { simple: true }) as number
    repo.db.pragma(`max_page_count = ${pages + 2}`)
    // Grow the file to its limit: putting the 60 KB back then needs pages the file cannot have.
    let full = false
    for (let i = 0; i < 200 && !full; i++) {
      try {
        repo.addEvent({ conversation_id: 'filler', type: 'meta', content: 'x'.repeat(3000) })
      } catch (e) {
        full = (e as DbError).code === 'disk_full'
      }
    }
    expect(full).toBe(true)
    const before = rowsOf(repo.path)
    expect(() => repo.undo(entryId!, { dataDir: data })).toThrow(/The disk is full.*nothing was changed/)
    expect(rowsOf(repo.path)).toEqual(before)
    repo.db.pragma('max_page_count = 1073741823')
    expect(repo.undo(entryId!, { dataDir: data })).toMatchObject({ rowsRestored: 20, skipped: [] })
  })

  it('compacting needs no room beyond what its chunks free: it works on a full file', () => {
    const repo = ChatRepository.open(settled(demoFile()), { mode: 'write' })
    repo.addEvents(
      Array.from({ length: 20 }, () => ({
        conversation_id: 'big-reply',
        type: 'meta',
        content: 'z'.repeat(3000),
        created_at: new Date(Date.UTC(2026, 0, 1)),
        extra: { kind: 'assistant_delta', user_request_id: 'r-big' },
      })),
    )
    const pages = repo.db.pragma('page_count', { simple: true }) as number
    repo.db.pragma(`max_page_count = ${pages}`)
    expect(() =>
      repo.addEvent({ conversation_id: 'filler', type: 'meta', content: 'x'.repeat(3000) }),
    ).toThrow(/disk is full/)
    expect(repo.compact(repo.planCompaction('big-reply', 1), journal())).toMatchObject({ compacted: 1 })
  })

  it('in the app`s data folder (a small tmpfs): the undo journal or the backup cannot be written, so nothing is changed', (context) => {
    const mountPoint = mkdtempSync(join(tmpdir(), 'chv-full-'))
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mountPoint])
    if (mounted.status !== 0) {
      rmSync(mountPoint, { recursive: true, force: true })
      context.skip(`needs root to mount a small tmpfs: ${mounted.stderr}`)
    }
    try {
      const path = settled(demoFile())
      const repo = ChatRepository.open(path, { mode: 'write' })
      repo.addEvents(
        Array.from({ length: 60 }, () => ({
          conversation_id: 'bulk',
          type: 'meta',
          content: 'y'.repeat(2000),
        })),
      )
      repo.db.pragma('wal_checkpoint(TRUNCATE)')
      const before = sha256(path)
      expect(() => repo.backup(mountPoint)).toThrow(/Could not write a backup.*nothing was changed/)
      expect(readdirSync(join(mountPoint, 'backups'))).toEqual([])
      // The rows' images do not fit in the journal: the write-ahead fails before the file is touched.
      expect(() => repo.deleteConversations(repo.planDeletion(['bulk']), { dataDir: mountPoint })).toThrow(
        /disk is full.*nothing was changed/,
      )
      expect(sha256(path)).toBe(before)
      expect(repo.getEvents('bulk')).toHaveLength(60)
    } finally {
      spawnSync('umount', [mountPoint])
      rmSync(mountPoint, { recursive: true, force: true })
    }
  })
})

describe('the file under us', () => {
  it('replaced between plan and apply: refused, neither file changed', () => {
    const dir = tempDir()
    const path = settled(demoFile())
    const repo = ChatRepository.open(path, { mode: 'write' })
    const plan = repo.planCompaction(null, 1)
    const other = join(dir, 'other.db')
    copyFileSync(settled(demoFile()), other)
    const otherHash = sha256(other)
    renameSync(other, path)
    expect(() => repo.compact(plan, journal())).toThrow(
      /was replaced or deleted since it was opened; nothing was changed/,
    )
    expect(sha256(path)).toBe(otherHash)
  })

  it('that we may not write (another user`s file): a clear error from chv, the file unchanged', (context) => {
    if (process.getuid?.() !== 0) context.skip('runs chv as another user with setpriv, which needs root')
    const dir = mkdtempSync(join(tmpdir(), 'chv-ro-'))
    chmodSync(dir, 0o755)
    const data = join(dir, 'data')
    mkdirSync(data)
    chmodSync(data, 0o777)
    const path = join(dir, 'chat_history.db')
    copyFileSync(settled(demoFile()), path)
    chmodSync(path, 0o644)
    const before = sha256(path)
    const chv = fileURLToPath(new URL('../../../out/cli/chv.js', import.meta.url))
    const r = spawnSync(
      'setpriv',
      ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, chv, 'compact', path],
      {
        encoding: 'utf8',
        env: { ...process.env, CHV_DATA_DIR: data, HOME: data },
      },
    )
    try {
      expect(r.status).toBe(1)
      expect(r.stderr).toMatch(/^chv: .* cannot be written \(read-only file, folder or mount\)\.\n$/)
      expect(sha256(path)).toBe(before)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
