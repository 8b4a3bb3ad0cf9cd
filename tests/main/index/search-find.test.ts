import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ChatRepository } from '../../../src/main/db/repository'
import { find, type FindQuery } from '../../../src/main/index/search-find'
import { toQueryExpression } from '../../../src/main/index/search-syntax'
import { SearchIndex } from '../../../src/main/search/search-index'
import { demoFile } from '../../helpers/demo'
import { tempDir } from '../../helpers/files'

function built(path: string): SearchIndex {
  const index = new SearchIndex(path, join(tempDir(), 'search'))
  for (let i = 0; i < 1000 && !index.step(50); i++);
  return index
}

const where = (index: SearchIndex, text: string, extra: Partial<FindQuery> = {}) =>
  find(index.database, { text, limit: 50, ...extra }).hits.map((h) => `${h.conversation_id}#${h.seq}`)

describe('search syntax', () => {
  it('keeps phrases, OR and prefixes, and quotes everything else', () => {
    expect(toQueryExpression('get_weather paris')).toBe('"get_weather" AND "paris"')
    expect(toQueryExpression('"light rain" umbr*')).toBe('"light rain" AND "umbr"*')
    expect(toQueryExpression('x a OR b')).toBe('"x" AND ("a" OR "b")')
    expect(toQueryExpression('OR a OR')).toBe('"a"')
    expect(toQueryExpression('say "hi')).toBe('"say" AND "hi"')
    expect(toQueryExpression('NOT (a) * "" \u0000')).toBe('"NOT" AND "(a)"')
    expect(toQueryExpression('   ')).toBeUndefined()
  })
})

describe('search over text, tool calls and ids', () => {
  it('finds tool names, arguments, call ids and request ids, saying where the match is', () => {
    const index = built(demoFile())
    expect(where(index, 'get_forecast')).toEqual(['demo-weather-paris#4', 'demo-weather-paris#2'])
    // "metric" is only in the arguments of a tool call.
    const [hit] = find(index.database, { text: 'metric', limit: 5 }).hits
    expect(hit).toMatchObject({ conversation_id: 'demo-weather-paris', seq: 2, matched: 'detail' })
    expect(hit!.snippet).toContain('\u0002metric\u0003')
    expect(where(index, 'call_wx_1')).toEqual(['demo-weather-paris#3', 'demo-weather-paris#2'])
    expect(where(index, 'req-w1')).toContain('demo-weather-paris#1')
    expect(where(index, 'get_weather Paris')).toContain('demo-weather-paris#2')
  })

  it('phrases, OR, prefixes, stray quotes; filters by conversation, model and type', () => {
    const index = built(demoFile())
    expect(where(index, '"light rain"')).toContain('demo-weather-paris#5')
    expect(where(index, '"rain light"')).not.toContain('demo-weather-paris#5')
    expect(where(index, 'umbrella OR breed').sort()).toEqual([
      'demo-multimodal#1',
      'demo-weather-paris#1',
      'demo-weather-paris#5',
    ])
    expect(where(index, 'umbr*')).toEqual(['demo-weather-paris#5', 'demo-weather-paris#1'])
    expect(where(index, 'umbr')).toEqual([])
    expect(where(index, '"umbrella')).toEqual(['demo-weather-paris#5', 'demo-weather-paris#1'])
    expect(where(index, 'umbrella', { type: 'user_message' })).toEqual(['demo-weather-paris#1'])
    expect(where(index, 'Paris', { model: 'gpt-4o', conversationId: 'demo-weather-paris' })).toEqual([
      'demo-weather-paris#5',
      'demo-weather-paris#2',
    ])
  })

  it('counts every match, pages past the first, and says when relevance capped what it ranked', () => {
    const path = demoFile()
    const writer = ChatRepository.open(path, { mode: 'write' })
    // Common words, so walrus is rare enough for bm25 to weigh (a word in most rows scores near 0).
    writer.addEvents(
      Array.from({ length: 400 }, (_, i) => ({
        conversation_id: 'other',
        type: 'user_message',
        content: `row ${i}`,
      })),
    )
    writer.addEvents(
      Array.from({ length: 120 }, (_, i) => ({
        conversation_id: `many-${i % 3}`,
        type: 'user_message',
        content:
          i === 7 ? 'walrus walrus walrus walrus' : `walrus number ${i} with a lot of other words around it`,
      })),
    )
    writer.close()
    const index = built(path)
    const first = find(index.database, { text: 'walrus', limit: 50 })
    expect(first).toMatchObject({ total: 120, capped: false, order: 'newest' })
    const third = find(index.database, { text: 'walrus', limit: 50, offset: 100 })
    expect(third.hits).toHaveLength(20)
    expect(new Set([...first.hits, ...third.hits].map((h) => h.event_id)).size).toBe(70)
    const ranked = find(index.database, { text: 'walrus', limit: 5, order: 'relevance' })
    expect(ranked).toMatchObject({ total: 120, capped: false, ranked: 120 })
    expect(ranked.hits[0]!.snippet).toContain('\u0002walrus\u0003 \u0002walrus\u0003')
    const capped = find(index.database, { text: 'walrus', limit: 5, order: 'relevance', rankCap: 30 })
    expect(capped).toMatchObject({ total: 120, capped: true, ranked: 30 })
    expect(find(index.database, { text: 'walrus', limit: 5, conversationId: 'many-1' }).total).toBe(40)
  })
})

describe('totals', () => {
  it('count a row found in both its text and its tool calls once, with or without filters', () => {
    const path = demoFile()
    const writer = ChatRepository.open(path, { mode: 'write' })
    writer.addEvent({
      conversation_id: 'both',
      type: 'assistant_message',
      content: 'calling get_weather now',
      tool_calls: [{ id: 'call_both', type: 'function', function: { name: 'get_weather', arguments: '{}' } }],
    })
    writer.close()
    const index = built(path)
    const all = find(index.database, { text: 'get_weather', limit: 50 })
    expect(all.hits.map((h) => `${h.conversation_id}#${h.seq}`)).toEqual([
      'both#1',
      'demo-weather-paris#3',
      'demo-weather-paris#2',
    ])
    expect(all.total).toBe(3)
    expect(find(index.database, { text: 'get_weather', limit: 50, fromUnix: 0 }).total).toBe(3)
    expect(find(index.database, { text: 'get_weather', limit: 50, conversationId: 'both' }).total).toBe(1)
  })
})

describe('a search index made before tool calls were indexed', () => {
  it('is dropped and built again, so tool names are found', () => {
    const path = demoFile()
    const dir = join(tempDir(), 'search')
    let index = new SearchIndex(path, dir)
    for (let i = 0; i < 1000 && !index.step(50); i++);
    // As an index of the previous version: no detail table, no version.
    index.database.exec("DROP TABLE detail; DELETE FROM state WHERE key = 'detail_version'")
    index.close()
    index = new SearchIndex(path, dir)
    expect(index.status().state).toBe('building')
    for (let i = 0; i < 1000 && !index.step(50); i++);
    expect(where(index, 'get_forecast')).toEqual(['demo-weather-paris#4', 'demo-weather-paris#2'])
    expect(where(index, 'umbrella')).toEqual(['demo-weather-paris#5', 'demo-weather-paris#1'])
    index.close()
  })
})
