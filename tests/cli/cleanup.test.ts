// chv compact / rm / clear / snapshots / restore / backup / vacuum as a user runs them, and the ways
// they used to lose data or undo (each finding of the cleanup-trust issue is a test here).
import { existsSync, linkSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { journalPath } from '../../src/main/db/journal'
import { ChatRepository } from '../../src/main/db/repository'
import { chv } from '../helpers/chv-cli'
import { demoFile } from '../helpers/demo'
import { sha256, tempDir } from '../helpers/files'
import { python } from '../helpers/python'
import { rowsOf } from '../helpers/rows'
import { seedTableSql } from '../helpers/seed-table'

/** The demo history with everything checkpointed into the file itself, so its hash says it all. */
function settledDemo(): string {
  const path = demoFile()
  ChatRepository.open(path, { mode: 'write' }).close()
  return path
}

/** A history from before the seed's created_at_unix migration, in rollback-journal mode. */
function oldSchemaFile(): string {
  const path = join(tempDir(), 'old.db')
  python(
    `import sqlite3,sys,json
c=sqlite3.connect(sys.argv[1])
c.execute("""${seedTableSql({ createdAtUnix: false })}""")
c.execute("INSERT INTO chat_events (id, conversation_id, seq, schema_version, type, content, created_at, extra) VALUES ('u1', 'a', 1, 1, 'user_message', 'hi', '2025-01-01 10:00:00', '{}')")
c.commit()`,
    path,
  )
  return path
}

describe('chv cleanup commands', () => {
  it('compact --dry-run changes nothing; compact merges and names its undo; restore undoes it exactly', () => {
    const data = tempDir()
    const db = settledDemo()
    const before = rowsOf(db)
    const hash = sha256(db)
    expect(chv(data, 'compact', db, '--dry-run')).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('req-p1  5 chunks, 41 B'),
    })
    expect(sha256(db)).toBe(hash)
    expect(chv(data, 'compact', db)).toMatchObject({
      code: 0,
      stdout: `Compacted 1 reply (5 chunks). Undo: chv restore ${db} 1\n`,
    })
    expect(
      ChatRepository.open(db)
        .getEvents('demo-stream-pending')
        .map((e) => e.type),
    ).toEqual(['user_message', 'assistant_message'])
    const log = JSON.parse(chv(data, 'snapshots', db, '--json').stdout) as { entries: unknown[] }
    expect(log.entries).toEqual([
      expect.objectContaining({
        id: 1,
        operation: 'compact',
        state: 'applied',
        rowsRemoved: 5,
        rowsAdded: 1,
      }),
    ])
    expect(chv(data, 'restore', db, '1').stdout).toBe('Restored 5 events, removed 1 event.\n')
    expect(rowsOf(db)).toEqual(before)
    expect(chv(data, 'restore', db, '1').stdout).toBe('Entry 1 was undone already; nothing was changed.\n')
    expect(chv(data, 'snapshots', db).stdout).toMatch(
      /^#1 .* compact +demo-stream-pending +-5 \+1 events +undone$/m,
    )
  })

  it('rm and clear need --yes, then delete; clear takes a full backup first', () => {
    const data = tempDir()
    const db = demoFile()
    expect(chv(data, 'rm', db, 'demo-multimodal')).toMatchObject({
      code: 1,
      stderr: 'chv: this would delete 2 events in 1 conversation: add --yes to do it\n',
    })
    expect(chv(data, 'rm', db, 'demo-multimodal', '--yes').stdout).toMatch(
      /^Deleted 2 events in 1 conversation\. Undo: chv restore .* 1\n$/,
    )
    expect(chv(data, 'clear', db)).toMatchObject({ code: 1 })
    expect(chv(data, 'clear', db, '--yes').stdout).toMatch(
      /^Deleted 31 events in 6 conversations\. Undo: chv restore .* 2 A full backup was taken first: .*\.clear\.backup\.db\n$/,
    )
    expect(ChatRepository.open(db).listConversations()).toEqual([])
    const log = JSON.parse(chv(data, 'snapshots', db, '--json').stdout) as {
      entries: { operation: string }[]
      backups: { label: string }[]
    }
    expect(log.entries.map((e) => e.operation)).toEqual(['clear', 'delete'])
    expect(log.backups.map((b) => b.label)).toEqual(['clear'])
    expect(chv(data, 'restore', db, '2').stdout).toBe('Restored 31 events, removed 0 events.\n')
  })

  it('names the missing or unknown argument, exit 1, and the file is not touched', () => {
    const data = tempDir()
    const db = settledDemo()
    const hash = sha256(db)
    expect(chv(data, 'rm', db)).toMatchObject({
      code: 1,
      stderr:
        'chv: rm needs the CONVERSATION ids to delete (chv ls DB lists them), or --older-than / --inactive-since\n',
    })
    expect(chv(data, 'rm', db, 'no-such', '--yes')).toMatchObject({
      code: 1,
      stderr: 'chv: There is no conversation "no-such" in this file; nothing was changed.\n',
    })
    expect(chv(data, 'compact', db, 'no-such')).toMatchObject({
      code: 1,
      stderr: 'chv: There is no conversation "no-such" in this file.\n',
    })
    expect(chv(data, 'restore', db, '/nonexistent')).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^chv: restore takes the number of an undo entry/),
    })
    expect(chv(data, 'restore', db, '7')).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^chv: There is no undo entry 7 for .*; nothing was changed\.\n$/),
    })
    expect(chv(data, 'compact', join(data, 'missing.db'))).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/does not exist\.\n$/),
    })
    expect(chv(data, 'compact', db, '--include-streaming')).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(
        /^chv: --include-streaming is gone: a reply still streaming is never compacted/,
      ),
    })
    expect(sha256(db)).toBe(hash)
  })

  it('a data folder where the journal cannot be kept: one line, and the file is not changed', () => {
    const db = settledDemo()
    const hash = sha256(db)
    const notAFolder = join(tempDir(), 'a-file')
    writeFileSync(notAFolder, '')
    expect(chv(join(notAFolder, 'data'), 'rm', db, 'demo-multimodal', '--yes')).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^chv: The undo journal cannot be kept at .*; nothing was changed\.\n$/),
    })
    expect(sha256(db)).toBe(hash)
  })

  it('commands with nothing to do leave an old-schema file byte for byte as it was (no migration, no WAL)', () => {
    const data = tempDir()
    const db = oldSchemaFile()
    const hash = sha256(db)
    expect(chv(data, 'compact', db).stdout).toBe('Compacted 0 replies (0 chunks).\n')
    expect(chv(data, 'restore', db, '3')).toMatchObject({ code: 1 })
    expect(chv(data, 'rm', db, 'nope', '--yes')).toMatchObject({ code: 1 })
    expect(chv(data, 'snapshots', db).stdout).toBe('No changes recorded for this file.\n')
    expect(sha256(db)).toBe(hash)
    expect(existsSync(`${db}-wal`)).toBe(false)
    // The first real change migrates, as the chat app itself would, and says so.
    expect(chv(data, 'rm', db, 'a', '--yes').stdout).toMatch(/first brought to the chat app`s current schema/)
  })

  it('a full backup on request, never over the database or its side files', () => {
    const data = tempDir()
    const db = settledDemo()
    const hash = sha256(db)
    const made = chv(data, 'backup', db)
    expect(made).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^Backed up .* to .*\.backup\.backup\.db/),
    })
    for (const out of [db, `${db}-wal`, `${db}-shm`, `${db}-journal`]) {
      expect(chv(data, 'backup', db, out)).toMatchObject({
        code: 1,
        stderr: expect.stringMatching(/; choose another output file\. Nothing was written\.\n$/),
      })
    }
    expect(sha256(db)).toBe(hash)
  })
})

describe('chv export -o never overwrites the history', () => {
  it('refuses the database, its side files, a symlink to it and a hard link to it, before opening anything', () => {
    const data = tempDir()
    const db = settledDemo()
    const hash = sha256(db)
    const link = join(tempDir(), 'link.db')
    symlinkSync(db, link)
    const hard = join(tempDir(), 'hard.db')
    linkSync(db, hard)
    for (const out of [db, `${db}-wal`, `${db}-shm`, link, hard, join(db, '..', '.', 'chat_history.db')]) {
      expect(chv(data, 'export', db, '--format', 'md', '-o', out)).toMatchObject({
        code: 1,
        stderr: expect.stringMatching(/; choose another output file\. Nothing was written\.\n$/),
      })
    }
    expect(sha256(db)).toBe(hash)
    expect(chv(data, 'export', db, '--format', 'md', '-o', join(tempDir(), 'fine.md')).code).toBe(0)
  })
})

describe('the undo journal from the command line', () => {
  it('a damaged journal never blocks: it is listed, moved aside, and the next change works', () => {
    const data = tempDir()
    const db = demoFile()
    expect(chv(data, 'rm', db, 'demo-multimodal', '--yes').code).toBe(0)
    writeFileSync(journalPath(data, db), 'SQLite format 3\0 but truncated')
    const listed = chv(data, 'snapshots', db)
    expect(listed).toMatchObject({ code: 0, stderr: '' })
    expect(listed.stdout).toMatch(/^The undo journal could not be read; it was kept as .*\.damaged-/)
    expect(chv(data, 'rm', db, 'demo-app-flow', '--yes')).toMatchObject({ code: 0, stderr: '' })
    expect(JSON.parse(chv(data, 'snapshots', db, '--json').stdout).entries).toHaveLength(1)
    expect(readdirSync(join(data, 'journal')).filter((f) => f.includes('.damaged-')).length).toBeGreaterThan(
      0,
    )
  })

  it('--keep 0 still keeps the entry of the change just made', () => {
    const data = tempDir()
    const db = demoFile()
    chv(data, 'rm', db, 'demo-multimodal', '--yes')
    expect(chv(data, 'rm', db, 'demo-app-flow', '--yes', '--keep', '0').stdout).toMatch(
      /Undo: chv restore .* 2\n$/,
    )
    const log = JSON.parse(chv(data, 'snapshots', db, '--json').stdout) as { entries: { id: number }[] }
    expect(log.entries.map((e) => e.id)).toEqual([2])
    expect(chv(data, 'restore', db, '2').code).toBe(0)
  })

  it('--min-age decides what is still streaming', () => {
    const data = tempDir()
    const db = join(tempDir(), 'h.db')
    const repo = ChatRepository.open(db, { mode: 'create' })
    const tenMinutesAgo = new Date(Date.now() - 10 * 60_000)
    repo.addEvents(
      ['a', 'b'].flatMap((conversation) =>
        [1, 2].map((i) => ({
          conversation_id: conversation,
          type: 'meta',
          content: `${i}`,
          created_at: tenMinutesAgo,
          extra: { kind: 'assistant_delta', user_request_id: `r-${conversation}` },
        })),
      ),
    )
    repo.close()
    expect(chv(data, 'compact', db, 'a', '--min-age', '3600').stdout).toBe(
      'Compacted 0 replies (0 chunks); left 1 reply still streaming.\n',
    )
    expect(chv(data, 'compact', db, 'a').stdout).toMatch(/^Compacted 1 reply/)
    expect(chv(data, 'compact', db, '--min-age', 'soon')).toMatchObject({
      code: 1,
      stderr: 'chv: --min-age takes a whole number of at least 1, not "soon"\n',
    })
  })
})

describe('retention rules', () => {
  it('rm --older-than / --inactive-since picks conversations by their last event; --dry-run first', () => {
    const data = tempDir()
    const db = settledDemo()
    const hash = sha256(db)
    const dry = chv(data, 'rm', db, '--older-than', '60h', '--dry-run')
    expect(dry).toMatchObject({
      code: 0,
      stdout: 'demo-weather-paris  5 events\nWould delete 5 events in 1 conversation.\n',
    })
    expect(sha256(db)).toBe(hash)
    expect(chv(data, 'rm', db, '--older-than', '60h', '--yes').stdout).toMatch(
      /^Deleted 5 events in 1 conversation\./,
    )
    expect(chv(data, 'rm', db, '--inactive-since', '2000-01-01', '--yes').stdout).toBe(
      'No conversation was inactive for that long.\n',
    )
    expect(chv(data, 'rm', db, '--older-than', 'soon')).toMatchObject({
      code: 1,
      stderr: 'chv: --older-than takes an age such as 90d, 12h or 2w, not "soon"\n',
    })
    expect(chv(data, 'rm', db, 'demo-app-flow', '--older-than', '1d')).toMatchObject({ code: 1 })
  })
})

describe('chv vacuum', () => {
  it('says what it would give back and asks for --yes, then does it after a full backup', () => {
    const data = tempDir()
    const db = demoFile()
    chv(data, 'clear', db, '--yes')
    expect(chv(data, 'vacuum', db)).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^chv: vacuum would give back .*; .*stop the chat app.*--yes\n$/),
    })
    expect(chv(data, 'vacuum', db, '--yes').stdout).toMatch(
      /^Vacuumed: .* before, .* after\. A full backup was taken first: .*\.vacuum\.backup\.db\n$/,
    )
  })
})
