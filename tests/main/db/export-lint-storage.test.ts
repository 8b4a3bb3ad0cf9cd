import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ChatEvent, LlmMessage } from '../../../src/shared/chat-event'
import { INSERT_EVENT_SQL, toInsertRow } from '../../../src/main/db/event-row'
import { exportConversations } from '../../../src/main/db/export'
import { lintConversations } from '../../../src/main/db/lint'
import { ChatRepository } from '../../../src/main/db/repository'
import { storageStats } from '../../../src/main/db/storage'
import { demoFile } from '../../helpers/demo'
import { tempDir } from '../../helpers/files'
import { python } from '../../helpers/python'
import { seedTableSql } from '../../helpers/seed-table'

const exported = (
  repo: ChatRepository,
  ids: string[],
  format: 'md' | 'json' | 'jsonl',
  systemPrompt = '',
) => {
  let out = ''
  exportConversations(repo, ids, { format, systemPrompt }, (chunk) => (out += chunk))
  return out
}

describe('export', () => {
  it('JSON: the seed`s events, which re-import into an equal history', () => {
    const repo = ChatRepository.open(demoFile())
    const ids = repo.listConversations()
    const events = JSON.parse(exported(repo, ids, 'json')) as ChatEvent[]
    expect(events).toHaveLength(33)
    const copy = ChatRepository.open(join(tempDir(), 'copy.db'), { mode: 'create' })
    const insert = copy.db.prepare(INSERT_EVENT_SQL)
    copy.db.transaction(() => events.forEach((e) => insert.run(toInsertRow(e, e.seq))))()
    for (const id of ids) expect(copy.getEvents(id)).toEqual(repo.getEvents(id))
    expect(exported(repo, [], 'json')).toBe('[]\n')
  })

  it('JSONL: one line per conversation, what build_llm_conversation sends before a new user turn', () => {
    const repo = ChatRepository.open(demoFile())
    const lines = exported(repo, ['demo-sql-help', 'demo-weather-paris'], 'jsonl', 'Be brief.')
      .trim()
      .split('\n')
    expect(lines).toHaveLength(2)
    const first = JSON.parse(lines[0]!) as { conversation_id: string; messages: LlmMessage[] }
    expect(first.conversation_id).toBe('demo-sql-help')
    expect(first.messages).toEqual(repo.buildLlmConversation('demo-sql-help', 'x', 'Be brief.').slice(0, -1))
  })

  it('Markdown: a readable transcript with tool calls and results as fenced JSON', () => {
    const repo = ChatRepository.open(demoFile())
    const md = exported(repo, ['demo-weather-paris'], 'md')
    expect(md).toMatch(/^# Conversation demo-weather-paris\n\n### #1 user_message \(user\) — /)
    expect(md).toContain(
      'Tool call `get_weather` (`call_wx_1`):\n\n```json\n{\n  "city": "Paris",\n  "units": "metric"\n}\n```',
    )
    expect(md).toContain('```json\n{\n  "city": "Paris",\n  "temp_c": 14.5,')
    expect(md).toContain('(result of `call_wx_1`)')
  })
})

describe('lint', () => {
  /** A file with one of each finding (the seed's table, without its unique index). */
  function troubledFile(): string {
    const path = join(tempDir(), 'troubled.db')
    python(
      `import sqlite3, sys, json
c = sqlite3.connect(sys.argv[1])
c.execute("""${seedTableSql()}""")
rows = [
  ("a1", "a", 1, "user_message", 100, "hi", None, {"request_id": "r1"}, None),
  ("a2", "a", 2, "assistant_message", 101, "", json.dumps([{"id": "call1", "type": "function", "function": {"name": "f", "arguments": "{}"}}]), {}, None),
  ("a3", "a", 2, "tool_result", 99, "late clock", None, {"tool_call_id": "ghost"}, None),
  ("a4", "a", 5, "mystery", 102, None, None, {"request_id": "r1"}, "{not json"),
  ("a5", "a", 6, "meta", 103, "chunk", None, {"kind": "assistant_delta", "user_request_id": "r9"}, None),
  ("b1", "b", 1, "user_message", 100, "fine", None, {}, None),
]
for id_, conv, seq, type_, t, content, calls, extra, raw in rows:
    c.execute("INSERT INTO chat_events (id, conversation_id, seq, schema_version, type, content, tool_calls, created_at, created_at_unix, extra, raw) VALUES (?, ?, ?, 1, ?, ?, ?, '2025-01-01T00:00:00+00:00', ?, ?, ?)",
              (id_, conv, seq, type_, content, calls, t, json.dumps(extra) if extra else None, raw))
c.execute("UPDATE chat_events SET content = CAST(x'66ff' AS TEXT) WHERE id = 'b1'")
c.commit()`,
      path,
    )
    return path
  }

  it('finds each kind of problem, and seq gaps as notes', () => {
    const repo = ChatRepository.open(troubledFile())
    const findings = lintConversations(repo.db, repo.schema, null).map(
      (f) => `${f.conversation_id}#${f.seq} ${f.kind} ${f.severity}`,
    )
    expect(findings.sort()).toEqual(
      [
        'a#2 seq_duplicate problem',
        'a#2 time_order problem',
        'a#5 seq_gap note',
        'a#5 unknown_type problem',
        'a#5 invalid_json problem',
        'a#5 request_id_duplicate problem',
        'a#2 call_without_result problem',
        'a#2 result_without_call problem',
        'a#6 pending_deltas problem',
        'b#1 invalid_utf8 problem',
      ].sort(),
    )
    expect(lintConversations(repo.db, repo.schema, 'b').map((f) => f.kind)).toEqual(['invalid_utf8'])
  })

  it('finds nothing wrong in a healthy history (the demo`s only finding is its pending reply)', () => {
    const repo = ChatRepository.open(demoFile())
    expect(
      lintConversations(repo.db, repo.schema, null)
        .filter((f) => f.severity === 'problem')
        .map((f) => f.kind),
    ).toEqual(['pending_deltas'])
  })
})

describe('storage', () => {
  it('adds up: events and bytes per type, largest conversations, what compaction and VACUUM give back', () => {
    const repo = ChatRepository.open(demoFile())
    const stats = storageStats(repo)
    expect(stats.events).toBe(33)
    expect(stats.byType.map((t) => t.type).sort()).toEqual([
      'assistant_message',
      'meta',
      'system_update',
      'tool_result',
      'user_message',
    ])
    const content = repo.db
      .prepare('SELECT sum(length(CAST(content AS BLOB))) FROM chat_events')
      .pluck()
      .get()
    expect(stats.byType.reduce((n, t) => n + t.content, 0)).toBe(content)
    expect(stats.largest[0]).toMatchObject({ conversation_id: 'demo-sql-help', events: 12 })
    expect(stats.compaction).toEqual({ replies: 1, chunks: 5, bytes: 41 })
    expect(stats.fileBytes).toBeGreaterThan(0)
  })
})
