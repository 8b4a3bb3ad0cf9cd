// Where a date falls in the filtered, sorted list of conversations: "go to a date" scrolls there.
import type Database from 'better-sqlite3'
import { conditionsOf, type ConversationFilters } from './conversation-query'

/**
 * The offset of the first conversation active at or before `atUnix` in the list `filters` give (newest
 * first by last or first activity): the number of matching conversations after it, counted on the
 * index with the list's own conditions (text included). Conversations with no time at all sort last, so
 * they are never before a date.
 */
export function positionOf(
  db: Database.Database,
  filters: ConversationFilters,
  atUnix: number,
): { offset: number } {
  const key = filters.sort === 'first' ? 'first_unix' : 'last_unix'
  const { where, params } = conditionsOf(filters)
  const offset = db
    .prepare<Record<string, unknown>, number>(
      `SELECT count(*) FROM conversations ${where ? `${where} AND` : 'WHERE'} ${key} > @atUnix`,
    )
    .pluck()
    .get({ ...params, atUnix })!
  return { offset }
}
