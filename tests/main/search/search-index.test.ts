import { statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ChatRepository } from '../../../src/main/db/repository'
import {
  MARK_END,
  MARK_START,
  SearchIndex,
  searchIndexPath,
  toMatchExpression,
} from '../../../src/main/search/search-index'
import { demoFile } from '../../helpers/demo'
import { sha256, tempDir } from '../../helpers/files'

function built(path: string, dir = join(tempDir(), 'search')): SearchIndex {
  const index = new SearchIndex(path, dir)
  for (let i = 0; i < 1000 && !index.step(50); i++);
  return index
}

const hitsOf = (index: SearchIndex, text: string, extra = {}) =>
  index.search({ text, limit: 50, ...extra }).map((h) => `${h.conversation_id}#${h.seq}`)

describe('the search index', () => {
  it('is kept in its own folder and never writes to the history', () => {
    const path = demoFile()
    ChatRepository.open(path).close()
    const before = sha256(path)
    const index = built(path)
    expect(index.status()).toEqual({ state: 'ready', indexed: expect.any(Number), total: expect.any(Number) })
    index.close()
    expect(sha256(path)).toBe(before)
  })

  it('leaves no write-ahead log behind once built: its size on disk is its own (shown in Storage)', () => {
    const path = join(tempDir(), 'many.db')
    const repo = ChatRepository.open(path, { mode: 'create' })
    repo.addEvents(
      Array.from({ length: 5_000 }, (_, i) => ({
        conversation_id: `c${i % 100}`,
        type: 'user_message',
        role: 'user',
        content: `Question number ${i}`,
      })),
    )
    repo.close()
    const dir = join(tempDir(), 'search')
    const index = built(path, dir)
    const file = searchIndexPath(path, dir)
    // Building wrote megabytes through the -wal (up to its 4 MB autocheckpoint); they are in the index now.
    expect(statSync(`${file}-wal`).size).toBe(0)
    expect(statSync(file).size).toBeGreaterThan(100_000)
    expect(hitsOf(index, 'number')).toHaveLength(50)
    index.close()
  })

  it('finds words anywhere, with the match marked in a snippet, including text parts of multimodal content', () => {
    const index = built(demoFile())
    const [hit] = index.search({ text: 'umbrella', limit: 5 })
    expect(hit).toMatchObject({ conversation_id: 'demo-weather-paris', seq: 5, type: 'assistant_message' })
    expect(hit!.snippet).toContain(`${MARK_START}umbrella${MARK_END}`)
    expect(hitsOf(index, 'breed')).toEqual(['demo-multimodal#1'])
    expect(hitsOf(index, 'ありがとう')).toEqual(['demo-unicode-system#4'])
    expect(hitsOf(index, 'cafe')).toEqual(['demo-unicode-system#3'])
    // Newest first.
    expect(hitsOf(index, 'umbr')).toEqual(['demo-weather-paris#5', 'demo-weather-paris#1'])
  })

  it('filters by conversation (in seq order), type, model, provider and date', () => {
    const index = built(demoFile(new Date('2026-03-10T00:00:00Z')))
    expect(hitsOf(index, 'SQLite', { conversationId: 'demo-sql-help', type: 'user_message' })).toEqual(
      [1, 3, 5, 7, 9, 11].map((s) => `demo-sql-help#${s}`),
    )
    expect(hitsOf(index, 'predictable', { model: 'gpt-4o', type: 'assistant_message' })).toHaveLength(3)
    expect(hitsOf(index, 'umbrella', { provider: 'anthropic' })).toEqual([])
    expect(hitsOf(index, 'ありがとう', { provider: 'anthropic' })).toEqual(['demo-unicode-system#4'])
    const day = Date.UTC(2026, 2, 7) / 1000
    expect(hitsOf(index, 'Paris', { fromUnix: day, toUnix: day + 86400 }).sort()).toEqual([
      'demo-weather-paris#1',
      'demo-weather-paris#3',
      'demo-weather-paris#5',
    ])
    expect(hitsOf(index, 'Paris', { fromUnix: day + 86400 })).toEqual([])
  })

  it('keeps up with rows added, deleted, and rowids reused, and is reused across opens', () => {
    const path = demoFile()
    const dir = join(tempDir(), 'search')
    let index = built(path, dir)
    const writer = ChatRepository.open(path, { mode: 'write' })
    writer.addEvent({ conversation_id: 'new', type: 'user_message', content: 'zebra crossing' })
    index.noticeChanges()
    while (!index.step(50));
    expect(hitsOf(index, 'zebra')).toEqual(['new#1'])
    // Compaction deletes the last rows; the reply that replaces them takes a reused rowid.
    writer.db.prepare("DELETE FROM chat_events WHERE conversation_id = 'new'").run()
    writer.addEvent({ conversation_id: 'new2', type: 'user_message', content: 'giraffe' })
    writer.db.prepare("DELETE FROM chat_events WHERE conversation_id = 'demo-multimodal'").run()
    index.noticeChanges()
    while (!index.step(50));
    expect(hitsOf(index, 'zebra')).toEqual([])
    expect(hitsOf(index, 'giraffe')).toEqual(['new2#1'])
    expect(hitsOf(index, 'breed')).toEqual([])
    index.close()
    index = new SearchIndex(path, dir)
    expect(index.status().state).toBe('building') // it checks the file again once
    while (!index.step(50));
    expect(hitsOf(index, 'giraffe')).toEqual(['new2#1'])
  })

  it('takes what users type as words, never as query syntax', () => {
    expect(toMatchExpression('NEAR(a b) OR "x')).toBe('"NEAR(a" "b)" "OR" """x"*')
    expect(toMatchExpression('done ')).toBe('"done"')
    expect(toMatchExpression('   ')).toBeUndefined()
    const index = built(demoFile())
    expect(() => index.search({ text: 'a* OR NOT "', limit: 5 })).not.toThrow()
  })
})
