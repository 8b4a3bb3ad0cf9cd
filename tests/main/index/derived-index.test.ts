import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ChatRepository } from '../../../src/main/db/repository'
import type { NewChatEvent, ToolCall } from '../../../src/shared/chat-event'
import { storageStats } from '../../../src/main/db/storage'
import {
  bytesByType,
  pageOfConversations,
  queryConversations,
  type ConversationFilters,
} from '../../../src/main/index/conversation-query'
import { DerivedIndex } from '../../../src/main/index/derived-index'
import { demoFile } from '../../helpers/demo'
import { sha256, tempDir } from '../../helpers/files'

function built(path: string, dir = join(tempDir(), 'search')): DerivedIndex {
  const index = new DerivedIndex(path, dir)
  index.buildAll()
  return index
}

// Types compared by name (both list them largest first; index-stats.test.ts checks that order).
const byType = <T extends { type: string }>(list: T[]) => [...list].sort((a, b) => (a.type < b.type ? -1 : 1))

const ids = (index: DerivedIndex, filters = {}) =>
  queryConversations(index.db, filters).conversations.map((c) => c.conversation_id)

/** The counts per model and tool kept as facets come and go, against counting the facets now. */
function expectFacetCountsKept(index: DerivedIndex): void {
  const sql = (q: string) => index.db.prepare(q).all()
  expect(sql('SELECT kind, value, conversations FROM facet_counts ORDER BY 1, 2')).toEqual(
    sql('SELECT kind, value, count(*) AS conversations FROM facets GROUP BY 1, 2 ORDER BY 1, 2'),
  )
}

/**
 * A page (counted in SQL) against the whole answer (counted from its rows): the same total, facet
 * counts and rows, for each filter.
 */
function expectPagesAgree(index: DerivedIndex, filters: ConversationFilters[]): void {
  for (const f of filters) {
    const whole = queryConversations(index.db, f)
    for (const [offset, limit] of [
      [0, 1],
      [1, 2],
      [2, 100],
    ] as const) {
      const page = queryConversations(index.db, f, { offset, limit })
      expect({ ...page, filters: f }).toEqual({
        ...whole,
        conversations: whole.conversations.slice(offset, offset + limit),
        filters: f,
      })
      // The same rows without the counts, as a list scrolled far down asks for them.
      expect(pageOfConversations(index.db, f, { offset, limit })).toEqual(page.conversations)
    }
  }
}

describe('the derived index', () => {
  it('lives in its own folder, never writes to the history, and lists what the file lists', () => {
    const path = demoFile()
    ChatRepository.open(path).close()
    const before = sha256(path)
    const dir = join(tempDir(), 'search')
    const index = built(path, dir)
    expect(index.indexPath.startsWith(dir)).toBe(true)
    expect(existsSync(index.indexPath)).toBe(true)
    expect(index.status()).toMatchObject({ state: 'ready', pendingConversations: 0 })
    const repo = ChatRepository.open(path)
    const direct = repo.listConversationSummaries()
    const fromIndex = queryConversations(index.db).conversations
    expect(
      fromIndex.map(({ conversation_id, last_activity_unix, event_count, preview }) => ({
        conversation_id,
        last_activity_unix,
        event_count,
        preview,
      })),
    ).toEqual(direct)
    // Bytes per type: the same numbers the Storage panel reads from the whole file.
    expect(byType(bytesByType(index.db))).toEqual(byType(storageStats(repo).byType))
    repo.close()
    index.close()
    expect(sha256(path)).toBe(before)
  })

  it('summarizes models, tools, pending replies and unanswered tool calls', () => {
    const index = built(demoFile())
    const byId = new Map(queryConversations(index.db).conversations.map((c) => [c.conversation_id, c]))
    expect(byId.get('demo-weather-paris')).toMatchObject({
      models: ['gpt-4o'],
      tools: ['get_forecast', 'get_weather'],
      tool_calls: 2,
      calls_without_result: 0,
      problems: 0,
    })
    const pending = [...byId.values()].filter((c) => c.pending_deltas > 0)
    expect(pending.length).toBeGreaterThan(0)
    expect(pending.every((c) => c.pending_replies > 0 && c.problems >= c.pending_deltas)).toBe(true)
  })

  it('filters by text, model, tool, dates and flags, with counts per facet', () => {
    const path = demoFile(new Date('2026-03-10T00:00:00Z'))
    const writer = ChatRepository.open(path, { mode: 'write' })
    writer.addEvent({
      conversation_id: 'lost-call',
      type: 'assistant_message',
      model: 'claude-x',
      created_at: '2026-01-01T00:00:00+00:00',
      tool_calls: [{ id: 'call_lost', type: 'function', function: { name: 'get_weather', arguments: '{}' } }],
    })
    writer.close()
    const index = built(path)
    expect(ids(index, { tool: 'get_weather' }).sort()).toEqual(['demo-weather-paris', 'lost-call'])
    expect(ids(index, { model: 'claude-x' })).toEqual(['lost-call'])
    expect(ids(index, { hasProblems: true, hasTools: true })).toEqual(['lost-call'])
    expect(ids(index, { text: 'UMBRELLA' })).toEqual(['demo-weather-paris'])
    const jan2 = Date.UTC(2026, 0, 2) / 1000
    expect(ids(index, { untilUnix: jan2 })).toEqual(['lost-call'])
    expect(ids(index, { sinceUnix: jan2 })).not.toContain('lost-call')
    const all = queryConversations(index.db, {}, { limit: 2 })
    expect(all.conversations).toHaveLength(2)
    expect(all.total).toBe(ids(index).length)
    expect(all.facets.tools.find((f) => f.value === 'get_weather')).toEqual({
      value: 'get_weather',
      count: 2,
    })
    expect(all.facets.hasProblems).toBe(ids(index, { hasProblems: true }).length)
    // By first activity: the conversation begun in January comes last.
    expect(ids(index, { sort: 'first' }).at(-1)).toBe('lost-call')
    // Without text, and with text that every id here holds: the same answers.
    for (const filters of [{}, { tool: 'get_weather' }, { hasProblems: true }, { sort: 'first' as const }]) {
      const inSql = queryConversations(index.db, filters, { offset: 1, limit: 3 })
      const inJs = queryConversations(index.db, { ...filters, text: '-' }, { offset: 1, limit: 3 })
      expect(inSql).toEqual(inJs)
    }
    expectPagesAgree(index, [
      {},
      { sort: 'first' },
      { model: 'gpt-4o' },
      { tool: 'get_weather', hasProblems: true },
      { model: 'claude-x', tool: 'get_weather' },
      { sinceUnix: jan2, hasTools: true },
      { model: 'no-such-model' },
    ])
    expectFacetCountsKept(index)
  })

  it('matches text as JavaScript folds case, beyond ASCII, and literally (no wildcards)', () => {
    const path = demoFile()
    const writer = ChatRepository.open(path, { mode: 'write' })
    writer.addEvents([
      { conversation_id: 'Ölfass-1', type: 'user_message', content: 'ÄPFEL und Birnen für ΣΟΦΊΑ' },
      { conversation_id: 'percent', type: 'user_message', content: 'rabatt 100% heute_nur' },
    ])
    const index = built(path)
    expect(ids(index, { text: 'äpfel' })).toEqual(['Ölfass-1'])
    expect(ids(index, { text: 'ÄpFeL' })).toEqual(['Ölfass-1'])
    expect(ids(index, { text: 'σοφία' })).toEqual(['Ölfass-1'])
    expect(ids(index, { text: '  ölfass ' })).toEqual(['Ölfass-1'])
    expect(ids(index, { text: '0%' })).toEqual(['percent'])
    expect(ids(index, { text: '%' })).toEqual(['percent'])
    expect(ids(index, { text: 'e_nur' })).toEqual(['percent'])
    expect(ids(index, { text: 'r_b' })).toEqual([]) // as LIKE, it would match 'rabatt'
    expect(ids(index, { text: 'apfel' })).toEqual([])
    // A preview that changes (its first message deleted) is folded again.
    writer.addEvent({ conversation_id: 'Ölfass-1', type: 'user_message', content: 'ZUERST Ärger' })
    writer.db.prepare("DELETE FROM chat_events WHERE content LIKE 'ÄPFEL%'").run()
    writer.close()
    index.noticeChanges()
    index.buildAll()
    expect(ids(index, { text: 'zuerst är' })).toEqual(['Ölfass-1'])
    expect(ids(index, { text: 'äpfel' })).toEqual([])
    expectPagesAgree(index, [{ text: 'demo' }, { text: 'DEMO', sort: 'first' }, { text: 'ä' }])
    index.close()
  })

  it('grows a summarized conversation with rows added to it, to what a fresh build says', () => {
    const path = demoFile()
    const index = built(path)
    const writer = ChatRepository.open(path, { mode: 'write' })
    const later = new Date(Date.now() + 3_600_000)
    writer.addEvents([
      {
        conversation_id: 'demo-weather-paris',
        type: 'assistant_message',
        model: 'claude-x',
        created_at: later,
        tool_calls: [{ id: 'call_new', type: 'function', function: { name: 'get_tide', arguments: '{}' } }],
      },
      {
        conversation_id: 'demo-weather-paris',
        type: 'meta',
        content: 'chunk',
        created_at: later,
        extra: { kind: 'assistant_delta', user_request_id: 'req-new' },
      },
    ])
    index.noticeChanges()
    index.buildAll()
    const grown = () => queryConversations(index.db, { text: 'demo-weather-paris' }).conversations[0]!
    expect(grown()).toMatchObject({
      event_count: 7,
      last_activity_unix: Math.floor(later.getTime() / 1000),
      models: ['claude-x', 'gpt-4o'],
      tools: ['get_forecast', 'get_tide', 'get_weather'],
      tool_calls: 3,
      calls_without_result: 1,
      pending_deltas: 1,
    })
    // The result and the compacted reply settle what was open.
    writer.addEvents([
      { conversation_id: 'demo-weather-paris', type: 'tool_result', extra: { tool_call_id: 'call_new' } },
      {
        conversation_id: 'demo-weather-paris',
        type: 'assistant_message',
        content: 'done',
        extra: { request_id: 'assistant:req-new', user_request_id: 'req-new' },
      },
    ])
    writer.close()
    index.noticeChanges()
    index.buildAll()
    expect(grown()).toMatchObject({ event_count: 9, calls_without_result: 0, pending_deltas: 0, problems: 0 })
    const fresh = built(path)
    expect(ids(index, { tool: 'get_tide' })).toEqual(['demo-weather-paris'])
    expect(ids(index, { model: 'claude-x' })).toEqual(['demo-weather-paris'])
    expect(index.db.prepare('SELECT * FROM facets ORDER BY 1, 2, 3').all()).toEqual(
      fresh.db.prepare('SELECT * FROM facets ORDER BY 1, 2, 3').all(),
    )
    expect(queryConversations(index.db)).toEqual(queryConversations(fresh.db))
    expect(queryConversations(index.db, {}, { limit: 2 })).toEqual(
      queryConversations(fresh.db, {}, { limit: 2 }),
    )
    expectFacetCountsKept(index)
    expectPagesAgree(index, [{}, { model: 'gpt-4o' }, { tool: 'get_tide', sort: 'first' }])
    expect(bytesByType(index.db)).toEqual(bytesByType(fresh.db))
    index.close()
    fresh.close()
  })

  it('counts open items of a growing conversation as a fresh build does, whatever order rows come in', () => {
    const path = demoFile()
    const index = built(path)
    const writer = ChatRepository.open(path, { mode: 'write' })
    const call = (id: string | null, name = 'f'): NewChatEvent => ({
      conversation_id: 'demo-weather-paris',
      type: 'assistant_message',
      // A call without an id, as files hold them, is not one the app would write.
      tool_calls: [
        { ...(id === null ? {} : { id }), type: 'function', function: { name, arguments: '{}' } } as ToolCall,
      ],
    })
    const result = (id: string) => ({
      conversation_id: 'demo-weather-paris',
      type: 'tool_result',
      extra: { tool_call_id: id },
    })
    const chunk = (reply: string) => ({
      conversation_id: 'demo-weather-paris',
      type: 'meta',
      content: 'c',
      extra: { kind: 'assistant_delta', user_request_id: reply },
    })
    const reply = (to: string) => ({
      conversation_id: 'demo-weather-paris',
      type: 'assistant_message',
      extra: { request_id: `assistant:${to}`, user_request_id: to },
    })
    // Each batch is caught up alone, then the index is compared with one built from nothing.
    const batches = [
      [call('k1'), call('k1'), call(null), chunk('r1'), chunk('r1'), chunk('r2')],
      [result('k1'), result('k1'), result('k9'), call('k9'), reply('r1')],
      [reply('r1'), chunk('r1'), chunk('r2'), reply('r3'), chunk('r3'), call('k2', 'g')],
      [
        // A row that answers its own call, and a chunk that carries its own reply.
        { ...call('k3'), extra: { tool_call_id: 'k3' } },
        {
          ...chunk('r4'),
          extra: { kind: 'assistant_delta', user_request_id: 'r4', request_id: 'assistant:r4' },
        },
        result('k2'),
        chunk('r5'),
      ],
    ]
    for (const batch of batches) {
      writer.addEvents(batch)
      index.noticeChanges()
      index.buildAll()
      const fresh = built(path)
      expect(queryConversations(index.db, { text: 'demo-weather-paris' })).toEqual(
        queryConversations(fresh.db, { text: 'demo-weather-paris' }),
      )
      fresh.close()
    }
    expect(queryConversations(index.db, { text: 'demo-weather-paris' }).conversations[0]).toMatchObject({
      tool_calls: 8,
      pending_deltas: 3, // r2's two chunks and r5's
      pending_replies: 2,
    })
    writer.close()
    index.close()
  })

  it('keeps up with rows added, deleted, and rowids reused, and is reused across opens', () => {
    const path = demoFile()
    const dir = join(tempDir(), 'search')
    let index = built(path, dir)
    const writer = ChatRepository.open(path, { mode: 'write' })
    writer.addEvent({ conversation_id: 'new', type: 'user_message', content: 'zebra crossing' })
    index.noticeChanges()
    index.buildAll()
    expect(queryConversations(index.db, { text: 'zebra' }).conversations).toMatchObject([
      { conversation_id: 'new', event_count: 1, preview: 'zebra crossing' },
    ])
    // Compaction deletes the last rows; the row that replaces them takes a reused rowid.
    writer.db.prepare("DELETE FROM chat_events WHERE conversation_id = 'new'").run()
    writer.addEvent({ conversation_id: 'new2', type: 'user_message', content: 'giraffe' })
    writer.db.prepare("DELETE FROM chat_events WHERE conversation_id = 'demo-multimodal'").run()
    index.noticeChanges()
    index.buildAll()
    expect(ids(index)).not.toContain('new')
    expect(ids(index)).not.toContain('demo-multimodal')
    expect(
      index.db.prepare("SELECT count(*) FROM facets WHERE conversation_id = 'demo-multimodal'").pluck().get(),
    ).toBe(0)
    expect(ids(index)).toContain('new2')
    expectFacetCountsKept(index)
    const direct = ChatRepository.open(path)
    expect(byType(bytesByType(index.db))).toEqual(byType(storageStats(direct).byType))
    index.close()
    // A row deleted while no one watched is found when the index is opened again.
    writer.db
      .prepare("DELETE FROM chat_events WHERE conversation_id = 'demo-weather-paris' AND seq = 3")
      .run()
    writer.close()
    index = new DerivedIndex(path, dir)
    expect(index.status().state).toBe('building') // it compares with the file once
    index.buildAll()
    const weather = queryConversations(index.db, { text: 'demo-weather-paris' }).conversations[0]!
    expect(weather.event_count).toBe(4)
    expect(weather.calls_without_result).toBe(1)
    expectFacetCountsKept(index)
    expect(byType(bytesByType(index.db))).toEqual(byType(storageStats(direct).byType))
    direct.close()
    index.close()
  })
})

describe('a derived index of an older version', () => {
  it('is dropped and built again (its tables may have other columns)', () => {
    const path = demoFile()
    const dir = join(tempDir(), 'search')
    let index = built(path, dir)
    index.db.exec(`DROP TABLE dirty; CREATE TABLE dirty (conversation_id TEXT PRIMARY KEY);
      UPDATE state SET value = 1 WHERE key = 'version'`)
    index.close()
    index = new DerivedIndex(path, dir)
    expect(index.status()).toMatchObject({ state: 'building', indexed: 0 })
    index.buildAll()
    expect(ids(index)).toHaveLength(7)
    index.close()
  })
})
