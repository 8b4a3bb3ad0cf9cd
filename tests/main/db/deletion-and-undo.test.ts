import { spawn } from 'node:child_process'
import { existsSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ChatRepository } from '../../../src/main/db/repository'
import { journalPath, listEntries, openJournal, pruneEntries } from '../../../src/main/db/journal'
import { demoFile } from '../../helpers/demo'
import { tempDir } from '../../helpers/files'
import { duplicateSeqs, rowsOf } from '../../helpers/rows'

const count = (repo: ChatRepository, conversation?: string) =>
  repo.db
    .prepare(
      conversation
        ? 'SELECT count(*) FROM chat_events WHERE conversation_id = ?'
        : 'SELECT count(*) FROM chat_events',
    )
    .pluck()
    .get(...(conversation ? [conversation] : [])) as number

const entries = (dataDir: string, path: string) => {
  const { db } = openJournal(journalPath(dataDir, path))
  try {
    return listEntries(db)
  } finally {
    db.close()
  }
}

describe('deleting conversations', () => {
  it('plans what it would remove without changing anything, then removes just that', () => {
    const repo = ChatRepository.open(demoFile(), { mode: 'write' })
    const total = count(repo)
    const plan = repo.planDeletion(['demo-weather-paris', 'demo-multimodal', 'no-such'])
    expect(plan).toMatchObject({
      all: false,
      unknown: ['no-such'],
      conversations: [
        { conversation_id: 'demo-multimodal', rows: 2 },
        { conversation_id: 'demo-weather-paris', rows: 5 },
      ],
    })
    expect(count(repo)).toBe(total)
    expect(repo.deleteConversations(plan, { dataDir: tempDir() })).toMatchObject({
      conversations: 2,
      rowsRemoved: 7,
      rowsKept: 0,
      entryId: 1,
      backup: null,
    })
    expect(repo.listConversations()).not.toContain('demo-weather-paris')
    expect(count(repo)).toBe(total - 7)
  })

  it('keeps rows written after the plan', () => {
    const repo = ChatRepository.open(demoFile(), { mode: 'write' })
    const plan = repo.planDeletion(['demo-multimodal'])
    repo.addEvent({ conversation_id: 'demo-multimodal', type: 'user_message', content: 'arrived later' })
    expect(repo.deleteConversations(plan, { dataDir: tempDir() })).toMatchObject({
      rowsRemoved: 2,
      rowsKept: 1,
    })
    expect(repo.getEvents('demo-multimodal').map((e) => e.content)).toEqual(['arrived later'])
  })

  it('clears everything, as the seed`s handle_clear_session, with a full backup first', () => {
    const data = tempDir()
    const repo = ChatRepository.open(demoFile(), { mode: 'write' })
    const before = rowsOf(repo.path)
    const done = repo.deleteConversations(repo.planDeletion(null), { dataDir: data })
    expect(count(repo)).toBe(0)
    expect(done.backup!.path).toMatch(/\.clear\.backup\.db$/)
    expect(rowsOf(done.backup!.path)).toEqual(before)
  })

  it('deletes a big conversation in parts of at most 500 rows, each its own short transaction', () => {
    const repo = ChatRepository.open(join(tempDir(), 'big.db'), { mode: 'create' })
    repo.addEvents(
      Array.from({ length: 4500 }, (_, i) => ({
        conversation_id: 'big',
        type: 'user_message',
        content: `m${i}`,
      })),
    )
    const data = tempDir()
    const done = repo.deleteConversations(repo.planDeletion(['big']), { dataDir: data })
    expect(done).toMatchObject({ rowsRemoved: 4500, conversations: 1 })
    expect(entries(data, repo.path)[0]).toMatchObject({ steps: 9, stepsApplied: 9, rowsRemoved: 4500 })
    expect(done.longestLockMs).toBeGreaterThan(0)
    expect(repo.undo(done.entryId!, { dataDir: data })).toMatchObject({ rowsRestored: 4500, skipped: [] })
  })
})

describe('undo from the journal', () => {
  it('puts back exactly what a compaction removed and removes what it added, keeping later writes', () => {
    const data = tempDir()
    const repo = ChatRepository.open(demoFile(), { mode: 'write' })
    const before = repo.getEvents('demo-stream-pending')
    const { entryId } = repo.compact(repo.planCompaction('demo-stream-pending', 1), { dataDir: data })
    repo.addEvent({ conversation_id: 'demo-stream-pending', type: 'user_message', content: 'written after' })
    // The merged reply took seq 2 (its first chunk's); the row written after took seq 3, which a
    // chunk had: putting the chunks back would number two rows 3, so that step is left as it is.
    expect(repo.undo(entryId!, { dataDir: data })).toMatchObject({
      rowsRestored: 0,
      rowsRemoved: 0,
      skipped: [{ conversation_id: 'demo-stream-pending', reason: expect.stringMatching(/same seq/) }],
    })
    expect(duplicateSeqs(repo.path)).toEqual([])
    repo.db.prepare("DELETE FROM chat_events WHERE content = 'written after'").run()
    expect(repo.undo(entryId!, { dataDir: data })).toMatchObject({
      rowsRestored: 5,
      rowsRemoved: 1,
      skipped: [],
    })
    expect(repo.getEvents('demo-stream-pending')).toEqual(before)
    expect(repo.undo(entryId!, { dataDir: data })).toMatchObject({ alreadyUndone: true, rowsRestored: 0 })
  })

  it('never brings back rows the chat app removed itself after the change', () => {
    const data = tempDir()
    const repo = ChatRepository.open(demoFile(), { mode: 'write' })
    repo.addEvents([
      { conversation_id: 'live', type: 'user_message', content: 'q', extra: { request_id: 'u1' } },
      {
        conversation_id: 'live',
        type: 'meta',
        content: 'a',
        extra: { kind: 'assistant_delta', user_request_id: 'u1' },
      },
    ])
    const plan = repo.planDeletion(['live'])
    // The chat app compacts its reply before our delete runs: its chunk is gone, its reply is new.
    repo.compactDeltas('live', 'u1', 'a')
    const { entryId } = repo.deleteConversations(plan, { dataDir: data })
    expect(repo.getEvents('live').map((e) => e.content)).toEqual(['a'])
    repo.undo(entryId!, { dataDir: data })
    expect(repo.getEvents('live').map((e) => [e.type, e.content])).toEqual([
      ['user_message', 'q'],
      ['assistant_message', 'a'],
    ])
  })

  it('leaves out streamed chunks whose reply the chat app compacted after the change, and says so', () => {
    const data = tempDir()
    const repo = ChatRepository.open(demoFile(), { mode: 'write' })
    const delta = { type: 'meta', extra: { kind: 'assistant_delta', user_request_id: 'u1' } }
    repo.addEvents([
      { conversation_id: 'live', type: 'user_message', content: 'q', extra: { request_id: 'u1' } },
      { conversation_id: 'live', content: 'a', ...delta },
      { conversation_id: 'live', content: 'b', ...delta },
    ])
    const plan = repo.planDeletion(['live'])
    repo.addEvent({ conversation_id: 'live', type: 'user_message', content: 'next question' })
    const { entryId } = repo.deleteConversations(plan, { dataDir: data })
    repo.compactDeltas('live', 'u1', 'ab')
    expect(repo.undo(entryId!, { dataDir: data })).toMatchObject({
      rowsRestored: 1,
      skipped: [
        {
          conversation_id: 'live',
          reason: '2 streamed chunks were left out: the chat app has compacted their reply since',
        },
      ],
    })
    expect(repo.getEvents('live').map((e) => [e.seq, e.content])).toEqual([
      [1, 'q'],
      [4, 'next question'],
      [5, 'ab'],
    ])
  })

  it('puts back deleted conversations byte for byte, including text that is not UTF-8 and odd types', () => {
    const data = tempDir()
    const repo = ChatRepository.open(demoFile(), { mode: 'write' })
    repo.db
      .exec(`INSERT INTO chat_events (id, conversation_id, seq, schema_version, type, content, created_at, created_at_unix)
      VALUES ('raw1', 'bytes', 1, 1, 'meta', CAST(x'41ff42' AS TEXT), '2026-01-01T00:00:00+00:00', 1767225600),
             ('raw2', 'bytes', 2.5, 1, 'meta', x'00ff', 7, NULL)`)
    const before = rowsOf(repo.path)
    const { entryId } = repo.deleteConversations(repo.planDeletion(['bytes', 'demo-sql-help']), {
      dataDir: data,
    })
    expect(rowsOf(repo.path)).not.toEqual(before)
    expect(repo.undo(entryId!, { dataDir: data })).toMatchObject({ rowsRestored: 14, skipped: [] })
    expect(rowsOf(repo.path)).toEqual(before)
  })

  it('when the chat app`s insert (MAX(seq) read before the rows came back) lands meanwhile, takes the step back: no seq used twice', async () => {
    const data = tempDir()
    const repo = ChatRepository.open(demoFile(), { mode: 'write' })
    // A conversation the chat app is writing to right now.
    repo.addEvent({ conversation_id: 'demo-multimodal', type: 'user_message', content: 'just now' })
    const { entryId } = repo.deleteConversations(repo.planDeletion(['demo-multimodal']), { dataDir: data })
    // The seed's add_event: MAX(seq) outside any transaction, then the INSERT a moment later.
    const app = spawn('python3', [
      '-c',
      `import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], timeout=5)
seq = c.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM chat_events WHERE conversation_id = 'demo-multimodal'").fetchone()[0]
print("read", flush=True)
time.sleep(0.15)
c.execute("INSERT INTO chat_events (id, conversation_id, seq, schema_version, type, content, created_at, created_at_unix) VALUES ('late', 'demo-multimodal', ?, 1, 'user_message', 'late', '2026-01-01T00:00:00+00:00', 1767225600)", (seq,))
c.commit()`,
      repo.path,
    ])
    const exited = new Promise((resolve) => app.on('close', resolve))
    await new Promise((resolve) => app.stdout.once('data', resolve))
    const undone = repo.undo(entryId!, { dataDir: data })
    expect(await exited).toBe(0)
    expect(undone).toMatchObject({
      rowsRestored: 0,
      skipped: [
        { conversation_id: 'demo-multimodal', reason: expect.stringMatching(/while it was coming back/) },
      ],
    })
    expect(duplicateSeqs(repo.path)).toEqual([])
    expect(repo.getEvents('demo-multimodal').map((e) => e.content)).toEqual(['late'])
  })

  it('refuses an entry that does not exist, with nothing changed', () => {
    const repo = ChatRepository.open(demoFile(), { mode: 'write' })
    const before = rowsOf(repo.path)
    expect(() => repo.undo(42, { dataDir: tempDir() })).toThrow(/no undo entry 42/)
    expect(rowsOf(repo.path)).toEqual(before)
  })
})

describe('the undo journal', () => {
  it('costs the rows a change touches, not the file: compacting one reply adds a few KB', () => {
    const data = tempDir()
    const repo = ChatRepository.open(demoFile(), { mode: 'write' })
    repo.compact(repo.planCompaction('demo-stream-pending', 1), { dataDir: data })
    const files = readdirSync(join(data, 'journal'))
    const bytes = files.reduce((n, f) => n + statSync(join(data, 'journal', f)).size, 0)
    expect(bytes).toBeLessThan(200 * 1024)
    expect(existsSync(join(data, 'backups'))).toBe(false)
  })

  it('is keyed by the file`s identity: a symlink and its target share it', () => {
    const data = tempDir()
    const path = demoFile()
    const link = join(tempDir(), 'link.db')
    symlinkSync(path, link)
    expect(journalPath(data, link)).toBe(journalPath(data, path))
    const repo = ChatRepository.open(link, { mode: 'write' })
    repo.deleteConversations(repo.planDeletion(['demo-multimodal']), { dataDir: data })
    expect(entries(data, path)).toHaveLength(1)
  })

  it('keeps at most N entries and none older than D days, but never the change just made (even with --keep 0)', () => {
    const data = tempDir()
    const repo = ChatRepository.open(demoFile(), { mode: 'write' })
    const ids = ['demo-multimodal', 'demo-weather-paris', 'demo-app-flow'].map(
      (c) =>
        repo.deleteConversations(repo.planDeletion([c]), {
          dataDir: data,
          retention: { entries: 2, days: 30 },
        }).entryId,
    )
    expect(entries(data, repo.path).map((e) => e.id)).toEqual([ids[2], ids[1]])
    const last = repo.deleteConversations(repo.planDeletion(['demo-sql-help']), {
      dataDir: data,
      retention: { entries: 0, days: 0 },
    }).entryId
    expect(entries(data, repo.path).map((e) => e.id)).toEqual([last])
    expect(repo.undo(last!, { dataDir: data })).toMatchObject({ alreadyUndone: false, rowsRestored: 12 })
    const { db } = openJournal(journalPath(data, repo.path))
    expect(pruneEntries(db, { entries: 50, days: 30 }, null, new Date(Date.now() + 29 * 86_400_000))).toBe(0)
    expect(pruneEntries(db, { entries: 50, days: 30 }, null, new Date(Date.now() + 31 * 86_400_000))).toBe(1)
    db.close()
  })

  it('a damaged journal is moved aside and never blocks a change; a damaged entry is listed as such', () => {
    const data = tempDir()
    const repo = ChatRepository.open(demoFile(), { mode: 'write' })
    const path = journalPath(data, repo.path)
    repo.deleteConversations(repo.planDeletion(['demo-multimodal']), { dataDir: data })
    repo.close()
    writeFileSync(path, 'not a database, or a truncated one')
    const again = ChatRepository.open(repo.path, { mode: 'write' })
    const done = again.deleteConversations(again.planDeletion(['demo-app-flow']), { dataDir: data })
    expect(done.note).toMatch(/could not be read; it was kept as .*damaged/)
    expect(readdirSync(join(data, 'journal')).some((f) => f.includes('.damaged-'))).toBe(true)
    again.db.prepare("UPDATE undo.entries SET conversations = '{broken'").run()
    expect(entries(data, again.path)).toEqual([expect.objectContaining({ state: 'damaged' })])
  })
})
