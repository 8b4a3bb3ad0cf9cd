// Where a date falls in the filtered, sorted list of conversations: "jump to a date" scrolls there.
import type Database from 'better-sqlite3'
import { conditionsOf, type ConversationFilters } from './conversation-query'

/**
 * The offset of the first conversation active at or before `atUnix` in the list `filters` give (newest
 * first by last or first activity): the number of matching conversations after it, counted on the
 * index with the list's own conditions. Conversations with no time at all sort last, so they are never
 * before a date.
 */
export function positionOf(
  db: Database.Database,
  filters: ConversationFilters,
  atUnix: number,
): { offset: number } {
  const key = filters.sort === 'first' ? 'first_unix' : 'last_unix'
  const { where, params } = conditionsOf(filters)
  const after = `${where ? `${where} AND` : 'WHERE'} ${key} > @atUnix`
  const needle = (filters.text ?? '').trim().toLowerCase()
  // Conditions that match the text themselves (in SQL, on folded copies) need no second pass.
  if (!needle || 'text' in params) {
    const offset = db
      .prepare<Record<string, unknown>, number>(`SELECT count(*) FROM conversations ${after}`)
      .pluck()
      .get({ ...params, atUnix })!
    return { offset }
  }
  // As the list matches text: in JavaScript, for case folding beyond ASCII.
  let offset = 0
  const rows = db
    .prepare<Record<string, unknown>, { conversation_id: string; preview: string }>(
      `SELECT conversation_id, preview FROM conversations ${after}`,
    )
    .iterate({ ...params, atUnix })
  for (const row of rows)
    if (row.conversation_id.toLowerCase().includes(needle) || row.preview.toLowerCase().includes(needle))
      offset++
  return { offset }
}
