// The files stay interchangeable with the Python app: the seed's own SQLiteRepo (tests/seed) reads what
// we write, and we read what it writes, with the same answers.
import { copyFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ChatEvent, LlmMessage } from '../../../src/shared/chat-event'
import { writeDemoHistory } from '../../../src/main/db/demo-history'
import { toInsertRow } from '../../../src/main/db/event-row'
import { ChatRepository } from '../../../src/main/db/repository'
import { sha256, tempDir } from '../../helpers/files'
import { python, seed } from '../../helpers/python'
import { seedTableSql } from '../../helpers/seed-table'

interface SeedDump {
  conversations: string[]
  events: Record<string, ChatEvent[]>
  history: Record<string, ChatEvent[]>
}

function demoFile(): string {
  const path = join(tempDir(), 'chat_history.db')
  const repo = ChatRepository.open(path, { mode: 'create' })
  writeDemoHistory(repo, new Date('2026-03-01T09:00:00.123Z'))
  repo.close()
  return path
}

describe('what we write, the seed reads back unchanged', () => {
  it('every event, the model history and the recency order of the demo history', () => {
    const path = demoFile()
    const repo = ChatRepository.open(path)
    const dump = seed<SeedDump>(path, 'dump')
    expect(dump.conversations).toEqual(repo.listConversations())
    for (const id of dump.conversations) {
      expect(dump.events[id]).toEqual(repo.getEvents(id))
      expect(dump.history[id]).toEqual(repo.getConversationHistory(id))
    }
    expect(Object.keys(dump.events)).toHaveLength(7)
  })

  it('build_llm_conversation gives the same messages, including Python`s str() of list content', () => {
    const path = demoFile()
    const repo = ChatRepository.open(path)
    for (const id of repo.listConversations()) {
      const theirs = seed<LlmMessage[]>(
        path,
        'call',
        [id, 'Next question?', 'You are helpful.'],
        'build_llm_conversation',
      )
      expect(repo.buildLlmConversation(id, 'Next question?', 'You are helpful.')).toEqual(theirs)
    }
  })
})

describe('what the seed writes, we read', () => {
  const events = [
    {
      conversation_id: 'py',
      type: 'user_message',
      role: 'user',
      content: [
        { type: 'text', text: 'Bonjour 👋 "quotes" \\ back\nslash' },
        { type: 'image_url', image_url: { url: 'https://example.com/a.png' } },
      ],
      created_at: '2026-02-01T10:00:00.000001+00:00',
      extra: { request_id: 'r1', nested: { list: [1, 2.5, true, null] } },
    },
    {
      conversation_id: 'py',
      type: 'assistant_message',
      role: 'assistant',
      content: '[not json, just text that starts with a bracket',
      tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{"a": "é"}' } }],
      provider: 'openai',
      model: 'gpt-4o',
      stop_reason: 'tool_calls',
      created_at: '2026-02-01T10:00:01+00:00',
      extra: { user_request_id: 'r1' },
      raw: { id: 'x', usage: { total_tokens: 7 } },
    },
    {
      conversation_id: 'py',
      type: 'system_update',
      role: 'system',
      content: 'visible',
      created_at: '2026-02-01T10:00:02.5+00:00',
      extra: { visible_to_model: true },
    },
    { conversation_id: 'other', type: 'user_message', content: '', created_at: '2026-01-01T00:00:00+00:00' },
  ]

  it('events, history and order, equal to the seed`s own reading', () => {
    const path = join(tempDir(), 'py.db')
    expect(seed(path, 'add', events)).toEqual([true, true, true, true])
    const dump = seed<SeedDump>(path, 'dump')
    const repo = ChatRepository.open(path)
    expect(repo.listConversations()).toEqual(dump.conversations)
    for (const id of dump.conversations) {
      // The seed prints created_at through datetime.isoformat(); we keep the stored text, which is the same here.
      expect(repo.getEvents(id)).toEqual(dump.events[id])
      expect(repo.getConversationHistory(id)).toEqual(dump.history[id])
    }
  })

  it('we would store the same text the seed stored, column for column', () => {
    const path = join(tempDir(), 'py.db')
    seed(path, 'add', events)
    const repo = ChatRepository.open(path)
    const stored = repo.db
      .prepare(
        'SELECT content, tool_calls, extra, raw, created_at, created_at_unix FROM chat_events ORDER BY rowid',
      )
      .all()
    const ours = ['py', 'other'].flatMap((id) =>
      repo.getEvents(id).map((e) => {
        const row = toInsertRow(e, e.seq)
        return {
          content: row.content,
          tool_calls: row.tool_calls,
          extra: row.extra,
          raw: row.raw,
          created_at: row.created_at,
          created_at_unix: row.created_at_unix,
        }
      }),
    )
    expect(ours).toEqual(stored)
  })

  it('the seed`s compaction and ours leave the same events behind', () => {
    const dir = tempDir()
    const theirs = join(dir, 'theirs.db')
    const deltas = ['Hel', 'lo ', 'wor', 'ld'].map((content, i) => ({
      conversation_id: 'c',
      type: 'meta',
      content,
      created_at: `2026-02-01T10:00:0${i}+00:00`,
      extra: { kind: 'assistant_delta', user_request_id: 'r1' },
    }))
    seed(theirs, 'add', [
      { conversation_id: 'c', type: 'user_message', content: 'hi', extra: { request_id: 'r1' } },
      ...deltas,
    ])
    const ours = join(dir, 'ours.db')
    copyFileSync(theirs, ours)
    const theirReply = seed<ChatEvent>(theirs, 'call', ['c', 'r1', 'Hello world', 'gpt-4o'], 'compact_deltas')
    const repo = ChatRepository.open(ours, { mode: 'write' })
    const ourReply = repo.compactDeltas('c', 'r1', 'Hello world', 'gpt-4o')
    const comparable = ({ id: _id, created_at: _at, ...rest }: ChatEvent) => rest
    expect(comparable(ourReply)).toEqual(comparable(theirReply))
    expect(repo.getEvents('c').map(comparable)).toEqual(
      seed<SeedDump>(theirs, 'dump').events.c!.map(comparable),
    )
    // Both are idempotent through assistant:<user_request_id>.
    expect(seed<ChatEvent>(theirs, 'call', ['c', 'r1', 'other', null], 'compact_deltas').id).toBe(
      theirReply.id,
    )
    expect(repo.compactDeltas('c', 'r1', 'other').id).toBe(ourReply.id)
  })
})

describe('files from before created_at_unix', () => {
  /** The seed's table as it was before the migration, with created_at in every format it wrote. */
  function oldFile(): string {
    const path = join(tempDir(), 'old.db')
    python(
      `import sqlite3,sys
c=sqlite3.connect(sys.argv[1])
c.execute("""${seedTableSql({ createdAtUnix: false })}""")
rows = [("a1","plain",1,"2026-01-05 10:00:00"), ("a2","plain",2,"2026-01-05 10:00:30"),
        ("b1","zulu",1,"2026-01-07T08:00:00Z"), ("c1","offset",1,"2026-01-06T12:00:00.250000+00:00"),
        ("d1","micro",1,"2026-01-04T00:00:00.999999")]
for id_, conv, seq, at in rows:
    c.execute("INSERT INTO chat_events (id, conversation_id, seq, schema_version, type, role, content, created_at) VALUES (?,?,?,1,'user_message','user',?,?)", (id_, conv, seq, "hello " + conv, at))
c.commit()`,
      path,
    )
    return path
  }

  it('lists by recency computed from created_at, without writing to the file', () => {
    const path = oldFile()
    const before = sha256(path)
    const repo = ChatRepository.open(path)
    expect(repo.schema.hasCreatedAtUnix).toBe(false)
    expect(repo.listConversations()).toEqual(['zulu', 'offset', 'plain', 'micro'])
    const page = repo.listConversationPage(2)
    expect(page.conversations.map((c) => c.conversation_id)).toEqual(['zulu', 'offset'])
    expect(repo.listConversationPage(2, page.next).conversations.map((c) => c.conversation_id)).toEqual([
      'plain',
      'micro',
    ])
    expect(repo.getEvents('plain')).toHaveLength(2)
    repo.close()
    expect(sha256(path)).toBe(before)
  })

  it('before its first change, migrates and back-fills created_at_unix exactly as the seed does', () => {
    const theirs = oldFile()
    const ours = `${theirs}.ours`
    copyFileSync(theirs, ours)
    seed(theirs, 'dump') // the seed's _ensure_initialized runs the migration
    // Opening for writing changes nothing; the first real change migrates first.
    const repo = ChatRepository.open(ours, { mode: 'write' })
    expect(repo.schema.hasCreatedAtUnix).toBe(false)
    repo.addEvent({ conversation_id: 'zz-after', type: 'user_message', content: 'first change' })
    repo.db.prepare("DELETE FROM chat_events WHERE conversation_id = 'zz-after'").run()
    repo.close()
    const read = (path: string): { rows: [string, number][]; indexes: [string, string | null][] } =>
      JSON.parse(
        python(
          `import sqlite3,sys,json
c=sqlite3.connect(sys.argv[1])
print(json.dumps({"rows": c.execute("select id, created_at_unix from chat_events order by id").fetchall(),
  "indexes": c.execute("select name, sql from sqlite_master where type='index' order by name").fetchall()}))`,
          path,
        ),
      )
    const oneLine = (sql: string | null) => sql?.replace(/\s+/g, ' ').trim() ?? null
    const [mine, seeds] = [read(ours), read(theirs)]
    expect(mine.indexes.map(([name, sql]) => [name, oneLine(sql)])).toEqual(
      seeds.indexes.map(([name, sql]) => [name, oneLine(sql)]),
    )
    // The same back-fill SQL, except that the SQLite in Python here (3.40) rounds "00:00:00.999999" up to
    // the next second and newer SQLite rounds down, as Python's int(dt.timestamp()) does.
    const exceptD1 = (rows: [string, number][]) => rows.filter(([id]) => id !== 'd1')
    expect(exceptD1(mine.rows)).toEqual(exceptD1(seeds.rows))
    expect(mine.rows).toContainEqual(['d1', Date.UTC(2026, 0, 4) / 1000])
    expect(mine.rows).toContainEqual(['b1', Date.UTC(2026, 0, 7, 8) / 1000])
  })
})
