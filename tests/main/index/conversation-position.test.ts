import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ChatRepository } from '../../../src/main/db/repository'
import { positionOf } from '../../../src/main/index/conversation-position'
import { queryConversations, type ConversationFilters } from '../../../src/main/index/conversation-query'
import { DerivedIndex } from '../../../src/main/index/derived-index'
import { tempDir } from '../../helpers/files'
import { VARIED_COUNT, variedFile, variedTraits } from '../../helpers/varied-history'

const DAY = 24 * 3600

/** What the position must be: the index of the first listed conversation active at or before `at`. */
function expected(index: DerivedIndex, filters: ConversationFilters, at: number): number {
  const list = queryConversations(index.db, filters).conversations
  const key = (c: (typeof list)[number]) =>
    filters.sort === 'first' ? c.first_activity_unix : c.last_activity_unix
  const found = list.findIndex((c) => key(c) === null || key(c)! <= at)
  return found === -1 ? list.length : found
}

describe('the position of a date in the filtered list', () => {
  it('is the offset of the first conversation at or before the date, for every sort and filter', () => {
    const index = new DerivedIndex(variedFile(), join(tempDir(), 'index'))
    index.buildAll()
    const first = variedTraits(0).firstUnix
    const dates = [first - DAY, first, first + 17 * DAY, first + 100 * DAY + 1, first + 400 * DAY, 4e9]
    const filterSets: ConversationFilters[] = [
      {},
      { model: 'gpt-4o' },
      { tool: 'search_web' },
      { hasTools: true },
      { hasPending: true },
      { hasProblems: true },
      { sinceUnix: first + 50 * DAY, untilUnix: first + 200 * DAY },
      { text: 'GARDENS' },
      { text: 'question 1', model: 'gpt-4o-mini' },
    ]
    let checked = 0
    for (const sort of ['last', 'first'] as const)
      for (const filters of filterSets)
        for (const at of dates) {
          const withSort = { ...filters, sort }
          expect(positionOf(index.db, withSort, at), JSON.stringify({ withSort, at })).toEqual({
            offset: expected(index, withSort, at),
          })
          checked++
        }
    expect(checked).toBe(2 * filterSets.length * dates.length)
    // Spot checks in numbers, not only against the list: a date before everything is the end of the list;
    // one after everything, its start.
    expect(positionOf(index.db, {}, first - DAY)).toEqual({ offset: VARIED_COUNT })
    expect(positionOf(index.db, {}, 4e9)).toEqual({ offset: 0 })
    // By first activity, one conversation begins every 5 days: 17 days in, 3 have begun at or before.
    expect(positionOf(index.db, { sort: 'first' }, first + 17 * DAY)).toEqual({ offset: VARIED_COUNT - 4 })
    index.close()
  })

  it('a conversation with no time at all sorts last, after any date', () => {
    const path = variedFile()
    const repo = ChatRepository.open(path, { mode: 'write' })
    repo.db
      .prepare(
        "UPDATE chat_events SET created_at_unix = NULL, created_at = 'no time' WHERE conversation_id = ?",
      )
      .run(variedTraits(59).id)
    repo.close()
    const index = new DerivedIndex(path, join(tempDir(), 'index'))
    index.buildAll()
    const list = queryConversations(index.db).conversations
    expect(list.at(-1)).toMatchObject({ conversation_id: variedTraits(59).id, last_activity_unix: null })
    expect(positionOf(index.db, {}, 0)).toEqual({ offset: VARIED_COUNT - 1 })
    index.close()
  })
})
