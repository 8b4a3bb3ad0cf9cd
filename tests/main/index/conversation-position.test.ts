import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { FileRegistry } from '../../../src/main/api/file-registry'
import { createHandlers, type Handlers } from '../../../src/main/api/handlers'
import { ChatRepository } from '../../../src/main/db/repository'
import { positionOf } from '../../../src/main/index/conversation-position'
import { queryConversations, type ConversationFilters } from '../../../src/main/index/conversation-query'
import { DerivedIndex } from '../../../src/main/index/derived-index'
import { contract, type Channel } from '../../../src/shared/api'
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

describe('conversations.position through the contract', () => {
  it('answers with the offset and the index status; refuses bad input and unknown files', async () => {
    const files = new FileRegistry('read')
    const { fileId } = files.add(variedFile())
    const handlers = createHandlers(files, { dataDir: tempDir(), searchDir: join(tempDir(), 'search') })
    const call = <C extends Channel>(channel: C, input: unknown) =>
      contract[channel].output.parse(
        (handlers[channel] as (i: unknown) => unknown)(contract[channel].input.parse(input)),
      ) as ReturnType<Handlers[C]>
    for (let i = 0; i < 500; i++) {
      const status = call('index.status', { fileId })
      if (status.ok && status.value.state === 'ready') break
      await new Promise((resolve) => setImmediate(resolve))
    }
    const at = variedTraits(30).firstUnix
    const answer = call('conversations.position', { fileId, atUnix: at, sort: 'first', model: 'gpt-4o' })
    if (!answer.ok) throw new Error(answer.message)
    expect(answer.value.status.state).toBe('ready')
    // gpt-4o is every third conversation (0, 3, …, 57): those begun after conversation 30 are 33…57.
    expect(answer.value.offset).toBe(9)
    const page = call('conversations.query', { fileId, sort: 'first', model: 'gpt-4o', offset: 9, limit: 1 })
    expect(page.ok && page.value.conversations[0]?.conversation_id).toBe(variedTraits(30).id)
    expect(call('conversations.position', { fileId: 'f999', atUnix: 0 })).toMatchObject({
      ok: false,
      reason: 'unknown_file',
    })
    const input = contract['conversations.position'].input
    expect(input.safeParse({ fileId }).success).toBe(false)
    expect(input.safeParse({ fileId, atUnix: 1.5 }).success).toBe(false)
    expect(input.safeParse({ fileId, atUnix: 0, sort: 'middle' }).success).toBe(false)
  })
})
