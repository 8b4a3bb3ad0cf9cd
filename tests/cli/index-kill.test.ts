// kill -9 at random moments while chv builds a file's indexes (the derived index for `ls` filters, the
// search index for `search`): the history is untouched, and the next run answers what a run with a
// fresh data folder answers.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ChatRepository } from '../../src/main/db/repository'
import type { NewChatEvent } from '../../src/shared/chat-event'
import { chv, killChvAfter } from '../helpers/chv-cli'
import { sha256, tempDir } from '../helpers/files'

/** 20,000 events in 500 conversations, with models, tool calls and pending chunks. */
function historyFile(): string {
  const path = join(tempDir(), 'history.db')
  const repo = ChatRepository.open(path, { mode: 'create' })
  const start = Date.UTC(2026, 0, 1)
  repo.addEvents(
    Array.from({ length: 20_000 }, (_, i): NewChatEvent => {
      const conversation_id = `c${i % 500}`
      const created_at = new Date(start + i * 1000)
      if (i % 4 === 0)
        return { conversation_id, type: 'user_message', role: 'user', content: `question ${i}`, created_at }
      if (i % 4 === 1)
        return {
          conversation_id,
          type: 'assistant_message',
          role: 'assistant',
          content: '',
          model: `model-${i % 3}`,
          created_at,
          tool_calls: [
            { id: `call-${i}`, type: 'function', function: { name: `tool_${i % 7}`, arguments: '{}' } },
          ],
        }
      if (i % 4 === 2)
        return {
          conversation_id,
          type: 'tool_result',
          role: 'tool',
          content: 'ok',
          created_at,
          extra: { tool_call_id: `call-${i - 1}` },
        }
      return {
        conversation_id,
        type: 'meta',
        role: 'assistant',
        content: `chunk ${i}`,
        created_at,
        extra: { kind: 'assistant_delta', user_request_id: `r${i}` },
      }
    }),
  )
  repo.db.pragma('wal_checkpoint(TRUNCATE)')
  repo.close()
  return path
}

const QUERIES = [
  ['ls', '--has-pending', '--json'],
  ['ls', '--tool', 'tool_3', '--sort', 'first', '--json'],
  ['ls', '--model', 'model-1', '--has-problems', '--json'],
  ['search', 'question', '--json', '--limit', '5'],
  ['search', 'tool_5', '--json', '--order', 'relevance', '--limit', '5'],
]

describe('kill -9 while indexes are built', () => {
  it('at 12 random moments: the file is untouched, and the next run answers as a fresh one', async () => {
    const db = historyFile()
    const before = sha256(db)
    const expected = QUERIES.map(([command, ...rest]) => chv(tempDir(), command!, db, ...rest))
    for (const r of expected) expect(r).toMatchObject({ code: 0, stderr: '' })
    const data = tempDir()
    for (let round = 0; round < 12; round++) {
      const [command, ...rest] = QUERIES[round % QUERIES.length]!
      await killChvAfter(data, [command!, db, ...rest], 150 + Math.random() * 900)
    }
    const after = QUERIES.map(([command, ...rest]) => chv(data, command!, db, ...rest))
    expect(after.map((r) => [r.code, r.stderr])).toEqual(expected.map(() => [0, '']))
    // Search hits carry no timing; lists are the whole summaries, counts and all.
    expect(after.map((r) => JSON.parse(r.stdout) as unknown)).toEqual(
      expected.map((r) => JSON.parse(r.stdout) as unknown),
    )
    expect(sha256(db)).toBe(before)
  }, 180_000)
})
