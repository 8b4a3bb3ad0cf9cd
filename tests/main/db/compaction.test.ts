import { copyFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ChatEvent, NewChatEvent } from '../../../src/shared/chat-event'
import { ChatRepository } from '../../../src/main/db/repository'
import { sha256, tempDir } from '../../helpers/files'
import { seed } from '../../helpers/python'

const NOW = new Date('2026-03-01T12:00:00Z')
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000)

const delta = (
  conversation_id: string,
  urid: string,
  content: string,
  at: Date,
  model?: string,
): NewChatEvent => ({
  conversation_id,
  type: 'meta',
  content,
  model: model ?? null,
  created_at: at,
  extra: { kind: 'assistant_delta', user_request_id: urid },
})

function history(): ChatRepository {
  const repo = ChatRepository.open(join(tempDir(), 'h.db'), { mode: 'create' })
  repo.addEvents([
    {
      conversation_id: 'a',
      type: 'user_message',
      content: 'q1',
      created_at: minutesAgo(30),
      extra: { request_id: 'r1' },
    },
    delta('a', 'r1', 'Hel', minutesAgo(29), 'gpt-4o'),
    delta('a', 'r1', 'lo', minutesAgo(28.5), 'gpt-4o'),
    {
      conversation_id: 'b',
      type: 'user_message',
      content: 'q2',
      created_at: minutesAgo(1),
      extra: { request_id: 'r2' },
    },
    delta('b', 'r2', 'still ', minutesAgo(0.2)),
    delta('b', 'r2', 'going', minutesAgo(0.1)),
  ])
  // Everything in the file itself, so copies and hashes of it are complete.
  repo.db.pragma('wal_checkpoint(TRUNCATE)')
  return repo
}

const journal = () => ({ dataDir: tempDir() })

describe('planning compaction', () => {
  it('lists pending replies with their exact rows, bytes, preview, and whether they are still streaming; changes nothing', () => {
    const written = history()
    written.close()
    const before = sha256(written.path)
    const repo = ChatRepository.open(written.path)
    const plan = repo.planCompaction(null, 60, NOW)
    expect(plan.replies).toEqual([
      expect.objectContaining({
        conversation_id: 'b',
        user_request_id: 'r2',
        chunks: 2,
        bytes: 11,
        preview: 'still going',
        streaming: true,
      }),
      expect.objectContaining({
        conversation_id: 'a',
        user_request_id: 'r1',
        chunks: 2,
        bytes: 5,
        preview: 'Hello',
        model: 'gpt-4o',
        streaming: false,
      }),
    ])
    expect(plan.replies[1]!.rows).toEqual([
      [2, expect.stringMatching(/^'[0-9a-f-]{36}'$/)],
      [3, expect.stringMatching(/^'[0-9a-f-]{36}'$/)],
    ])
    expect(repo.planCompaction('a', 60, NOW).replies.map((g) => g.conversation_id)).toEqual(['a'])
    repo.close()
    expect(sha256(repo.path)).toBe(before)
  })

  it('leaves out replies already compacted', () => {
    const repo = history()
    repo.compactDeltas('a', 'r1', 'Hello')
    repo.addEvent(delta('a', 'r1', ' late', NOW))
    expect(repo.planCompaction(null, 0, NOW).replies.map((g) => g.user_request_id)).toEqual(['r2'])
  })
})

describe('applying compaction', () => {
  it('gives what the seed`s compact_deltas gives right after streaming, taking the model from the chunks', () => {
    const ours = history()
    const theirs = join(tempDir(), 'theirs.db')
    copyFileSync(ours.path, theirs)
    const result = ours.compact(ours.planCompaction('a', 60, NOW), journal())
    expect(result).toMatchObject({ compacted: 1, chunksRemoved: 2, skippedStreaming: 0, entryId: 1 })
    seed(theirs, 'call', ['a', 'r1', 'Hello', 'gpt-4o'], 'compact_deltas')
    const comparable = ({ id: _id, created_at: _at, ...rest }: ChatEvent) => rest
    const seeds = seed<{ events: Record<string, ChatEvent[]> }>(theirs, 'dump').events.a!
    expect(ours.getEvents('a').map(comparable)).toEqual(seeds.map(comparable))
    // The time of its last chunk, not the time of the cleanup.
    expect(ours.getEvents('a')[1]).toMatchObject({
      created_at: minutesAgo(28.5).toISOString().replace('Z', '000+00:00'),
    })
  })

  it('keeps an older reply where it was streamed: its first chunk`s seq, its last chunk`s time, the list order unchanged', () => {
    const repo = history()
    repo.addEvents([
      {
        conversation_id: 'a',
        type: 'user_message',
        content: 'Q2',
        created_at: minutesAgo(20),
        extra: { request_id: 'r3' },
      },
      { conversation_id: 'a', type: 'assistant_message', content: 'Paris', created_at: minutesAgo(19) },
    ])
    const order = repo.listConversations()
    repo.compact(repo.planCompaction('a', 60, NOW), journal())
    expect(repo.getEvents('a').map((e) => [e.seq, e.content])).toEqual([
      [1, 'q1'],
      [2, 'Hello'],
      [4, 'Q2'],
      [5, 'Paris'],
    ])
    expect(repo.getConversationHistory('a').map((e) => e.content)).toEqual(['q1', 'Hello', 'Q2', 'Paris'])
    expect(repo.listConversations()).toEqual(order)
  })

  it('never compacts a reply still streaming, even from a plan that thought it was done', () => {
    const repo = history()
    // Planned as if it were an hour later: 'b' looks done; at apply time (the real now) it is not.
    const recent = ChatRepository.open(join(tempDir(), 'recent.db'), { mode: 'create' })
    recent.addEvents([delta('c', 'r9', 'live', new Date())])
    const plan = recent.planCompaction(null, 60, new Date(Date.now() + 3_600_000))
    expect(plan.replies[0]!.streaming).toBe(false)
    expect(recent.compact(plan, journal())).toMatchObject({
      compacted: 0,
      skippedStreaming: 1,
      entryId: null,
    })
    expect(recent.getEvents('c').map((e) => e.type)).toEqual(['meta'])
    expect(repo.compact(repo.planCompaction(null, 60, NOW), journal())).toMatchObject({
      compacted: 1,
      skippedStreaming: 1,
    })
  })

  it('is a no-op when run again, and writes nothing anywhere when there is nothing to do', () => {
    const repo = history()
    const data = journal()
    const plan = repo.planCompaction('a', 60, NOW)
    expect(repo.compact(plan, data)).toMatchObject({ compacted: 1 })
    expect(repo.compact(plan, data)).toMatchObject({ compacted: 0, alreadyCompacted: 1, entryId: null })
    const empty = { dataDir: join(tempDir(), 'never-made') }
    expect(repo.compact(repo.planCompaction('a', 60, NOW), empty)).toMatchObject({
      compacted: 0,
      entryId: null,
    })
  })

  it('leaves a reply alone when a chunk arrived after the plan (it is still streaming)', () => {
    const repo = history()
    const plan = repo.planCompaction('a', 0, NOW)
    repo.addEvent(delta('a', 'r1', ' and late', minutesAgo(10)))
    expect(repo.compact(plan, journal())).toMatchObject({ compacted: 0, changedSincePlan: 1 })
    expect(repo.getEvents('a').map((e) => e.type)).toEqual(['user_message', 'meta', 'meta', 'meta'])
  })

  it('never touches a row that took the rowid of a planned one (SQLite reuses the newest rowids)', () => {
    const repo = history()
    const plan = repo.planDeletion(['b'])
    // The chat app compacts 'b' itself: its newest rows go, and its new reply reuses their rowids.
    repo.compactDeltas('b', 'r2', 'still going')
    const reused = repo.db
      .prepare("SELECT rowid FROM chat_events WHERE conversation_id = 'b' AND type = 'assistant_message'")
      .pluck()
      .get()
    expect(plan.conversations[0]!.planned.map(([rowid]) => rowid)).toContain(reused)
    expect(repo.deleteConversations(plan, journal())).toMatchObject({ rowsRemoved: 1, rowsKept: 1 })
    expect(repo.getEvents('b').map((e) => e.content)).toEqual(['still going'])
  })

  it('keeps bytes that are not valid UTF-8 exactly', () => {
    const repo = history()
    repo.db
      .exec(`INSERT INTO chat_events (id, conversation_id, seq, schema_version, type, content, created_at, created_at_unix, extra)
      VALUES ('x1', 'c', 1, 1, 'meta', CAST(x'48ff' AS TEXT), '2026-03-01T10:00:00+00:00', 1772359200, '{"kind": "assistant_delta", "user_request_id": "r9"}'),
             ('x2', 'c', 2, 1, 'meta', CAST(x'c3' AS TEXT), '2026-03-01T10:00:00+00:00', 1772359200, '{"kind": "assistant_delta", "user_request_id": "r9"}'),
             ('x3', 'c', 3, 1, 'meta', CAST(x'a921' AS TEXT), '2026-03-01T10:00:00+00:00', 1772359200, '{"kind": "assistant_delta", "user_request_id": "r9"}')`)
    repo.compact(repo.planCompaction('c', 0, NOW), journal())
    const merged = repo.db
      .prepare("SELECT hex(CAST(content AS BLOB)) FROM chat_events WHERE conversation_id = 'c'")
      .pluck()
      .all()
    expect(merged).toEqual(['48FFC3A921'])
  })

  it('takes a full backup on request that reads like the original', () => {
    const repo = history()
    const data = tempDir()
    const backup = repo.backup(data)
    expect(backup.bytes).toBeGreaterThan(0)
    const copy = ChatRepository.open(backup.path)
    expect(copy.getEvents('a')).toEqual(repo.getEvents('a'))
    expect(() => repo.backup(data, repo.path)).toThrow(/the database itself/)
    expect(() => repo.backup(data, `${repo.path}-wal`)).toThrow(/wal file/)
  })
})
