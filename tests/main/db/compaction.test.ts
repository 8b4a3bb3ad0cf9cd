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
    delta('a', 'r1', 'lo', minutesAgo(29), 'gpt-4o'),
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

describe('planning compaction', () => {
  it('lists pending replies with chunks, bytes, preview, and whether they are still streaming; changes nothing', () => {
    const written = history()
    written.close()
    const before = sha256(written.path)
    const repo = ChatRepository.open(written.path)
    const plan = repo.planCompaction(null, 60, NOW)
    expect(plan.groups).toEqual([
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
    expect(plan).toMatchObject({ chunks: 4, bytes: 16 })
    expect(repo.planCompaction('a', 60, NOW).groups.map((g) => g.conversation_id)).toEqual(['a'])
    repo.close()
    expect(sha256(repo.path)).toBe(before)
  })

  it('leaves out replies already compacted', () => {
    const repo = history()
    repo.compactDeltas('a', 'r1', 'Hello')
    repo.addEvent(delta('a', 'r1', ' late', NOW))
    expect(repo.planCompaction(null, 0, NOW).groups.map((g) => g.user_request_id)).toEqual(['r2'])
  })
})

describe('applying compaction', () => {
  it('gives what the seed`s compact_deltas gives, taking the model from the chunks', () => {
    const ours = history()
    const theirs = join(tempDir(), 'theirs.db')
    copyFileSync(ours.path, theirs)
    const result = ours.applyCompaction(ours.planCompaction('a', 60, NOW), false, NOW)
    expect(result).toEqual({
      compacted: 1,
      chunksRemoved: 2,
      skippedStreaming: 0,
      alreadyCompacted: 0,
      createdIds: [ours.getEvents('a')[1]!.id],
    })
    seed(theirs, 'call', ['a', 'r1', 'Hello', 'gpt-4o'], 'compact_deltas')
    const comparable = ({ id: _id, created_at: _at, ...rest }: ChatEvent) => rest
    const seeds = seed<{ events: Record<string, ChatEvent[]> }>(theirs, 'dump').events.a!
    expect(ours.getEvents('a').map(comparable)).toEqual(seeds.map(comparable))
    expect(ours.getEvents('a')[1]).toMatchObject({ created_at: '2026-03-01T12:00:00.000000+00:00' })
  })

  it('skips replies still streaming unless asked, and is a no-op when run again', () => {
    const repo = history()
    const plan = repo.planCompaction(null, 60, NOW)
    expect(repo.applyCompaction(plan, false, NOW)).toMatchObject({ compacted: 1, skippedStreaming: 1 })
    expect(repo.applyCompaction(plan, false, NOW)).toMatchObject({
      compacted: 0,
      alreadyCompacted: 1,
      skippedStreaming: 1,
    })
    expect(repo.applyCompaction(plan, true, NOW)).toMatchObject({ compacted: 1, alreadyCompacted: 1 })
    expect(repo.getEvents('b').map((e) => e.content)).toEqual(['q2', 'still going'])
  })

  it('never deletes a chunk that arrived after the plan', () => {
    const repo = history()
    const plan = repo.planCompaction('b', 0, NOW)
    repo.addEvent(delta('b', 'r2', ' and late', NOW))
    repo.applyCompaction(plan, true, NOW)
    expect(repo.getEvents('b').map((e) => [e.type, e.content])).toEqual([
      ['user_message', 'q2'],
      ['meta', ' and late'],
      ['assistant_message', 'still going'],
    ])
  })

  it('keeps bytes that are not valid UTF-8 exactly', () => {
    const repo = history()
    repo.db
      .exec(`INSERT INTO chat_events (id, conversation_id, seq, schema_version, type, content, created_at, created_at_unix, extra)
      VALUES ('x1', 'c', 1, 1, 'meta', CAST(x'48ff' AS TEXT), '2026-03-01T10:00:00+00:00', 1772359200, '{"kind": "assistant_delta", "user_request_id": "r9"}'),
             ('x2', 'c', 2, 1, 'meta', CAST(x'c3' AS TEXT), '2026-03-01T10:00:00+00:00', 1772359200, '{"kind": "assistant_delta", "user_request_id": "r9"}'),
             ('x3', 'c', 3, 1, 'meta', CAST(x'a921' AS TEXT), '2026-03-01T10:00:00+00:00', 1772359200, '{"kind": "assistant_delta", "user_request_id": "r9"}')`)
    repo.applyCompaction(repo.planCompaction('c', 0, NOW), false, NOW)
    const merged = repo.db
      .prepare("SELECT hex(CAST(content AS BLOB)) FROM chat_events WHERE conversation_id = 'c'")
      .pluck()
      .all()
    expect(merged).toEqual(['48FFC3A921'])
  })

  it('takes a consistent snapshot that reads like the original', () => {
    const repo = history()
    const snapshot = repo.snapshot(join(tempDir(), 'snapshots'), 'compact')
    expect(snapshot.bytes).toBeGreaterThan(0)
    const copy = ChatRepository.open(snapshot.path)
    expect(copy.getEvents('a')).toEqual(repo.getEvents('a'))
  })
})
