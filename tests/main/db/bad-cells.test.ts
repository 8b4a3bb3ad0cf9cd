// Rows the seed would choke on: one bad row never blanks a list, and nothing is hidden.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ChatRepository } from '../../../src/main/db/repository'
import { sha256, tempDir } from '../../helpers/files'
import { python } from '../../helpers/python'
import { ADD_REQUEST_ID_AFTERWARDS, seedTableSql } from '../../helpers/seed-table'

/**
 * SQLite computes the virtual request_id on every insert, so the seed's table refuses a malformed
 * extra. Such a file can still be met (a tool writing with writable_schema, a newer SQLite's JSON5):
 * build one by adding the column's definition after the rows are in.
 */
function fileWithBadCells(): string {
  const path = join(tempDir(), 'bad.db')
  python(
    `import sqlite3,sys
c=sqlite3.connect(sys.argv[1])
c.execute("""${seedTableSql({ requestId: false })}""")
c.execute("CREATE INDEX idx_created_unix ON chat_events(created_at_unix)")
rows = [
 ("e1", 1, "user_message", "user", "hello", None, '{"request_id": "r1"}', None),
 ("e2", 2, "assistant_message", "assistant", "[broken list", '[{"id": "c1", "type": "function"', '{not json', '['),
 ("e3", 3, "system_update", None, "note", None, '{"visible_to_model": true}', '"a string"'),
 ("e4", 4, "mystery_type", None, None, None, '[1, 2]', None),
]
for id_, seq, type_, role, content, tool_calls, extra, raw in rows:
    c.execute("INSERT INTO chat_events (id, conversation_id, seq, schema_version, type, role, content, tool_calls, created_at, created_at_unix, extra, raw) VALUES (?, 'c', ?, 1, ?, ?, ?, ?, '2026-01-01T00:00:00+00:00', 1767225600, ?, ?)",
              (id_, seq, type_, role, content, tool_calls, extra, raw))
c.commit()
${ADD_REQUEST_ID_AFTERWARDS}`,
    path,
  )
  return path
}

describe('cells that are not valid JSON', () => {
  it('are read as empty values with the original text kept in invalid_json', () => {
    const path = fileWithBadCells()
    const before = sha256(path)
    const repo = ChatRepository.open(path)
    const events = repo.getEvents('c')
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4])
    expect(events[1]).toMatchObject({
      content: '[broken list',
      tool_calls: [],
      extra: {},
      raw: null,
      invalid_json: { tool_calls: '[{"id": "c1", "type": "function"', extra: '{not json', raw: '[' },
    })
    // Valid JSON of the wrong shape is kept too, rather than passed on as something it is not.
    expect(events[2]!.invalid_json).toEqual({ raw: '"a string"' })
    expect(events[3]).toMatchObject({
      type: 'mystery_type',
      role: null,
      content: null,
      invalid_json: { extra: '[1, 2]' },
    })
    repo.close()
    expect(sha256(path)).toBe(before)
  })

  it('do not abort the model history, request-id lookups, lists or pages', () => {
    const repo = ChatRepository.open(fileWithBadCells())
    expect(repo.getConversationHistory('c').map((e) => e.id)).toEqual(['e1', 'e2', 'e3'])
    expect(repo.getEventByRequestId('c', 'r1')?.id).toBe('e1')
    expect(repo.getEventByRequestId('c', 'r-missing')).toBeNull()
    expect(repo.getLastAssistantReplyId('c', 'r1')).toBeNull()
    expect(repo.listConversations()).toEqual(['c'])
    expect(repo.listConversationPage(10).conversations).toHaveLength(1)
    expect(repo.getEventPage('c', { limit: 10, contentChars: 5 }).events).toHaveLength(4)
  })
})

describe('huge rows', () => {
  it('a 50 MB message: pages and previews carry a cut, the full event on demand', () => {
    const repo = ChatRepository.open(join(tempDir(), 'big.db'), { mode: 'create' })
    const huge = 'a'.repeat(50 * 1024 * 1024)
    repo.addEvent({ conversation_id: 'c', type: 'user_message', content: huge })
    repo.addEvent({ conversation_id: 'c', type: 'assistant_message', content: 'short' })
    const page = repo.getEventPage('c', { limit: 10, contentChars: 2000 })
    expect(page.events.map((e) => [e.content_length, e.content_truncated, String(e.content).length])).toEqual(
      [
        [huge.length, true, 2000],
        [5, false, 5],
      ],
    )
    expect(repo.listConversationPage(1).conversations[0]!.preview).toHaveLength(160)
    expect(repo.getEvents('c', 1)[0]!.content).toHaveLength(huge.length)
  })
})
