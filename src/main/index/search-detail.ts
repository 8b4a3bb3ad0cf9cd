// What search finds besides the text: tool names, tool-call arguments, call ids and request ids, in a
// second FTS5 table of the search index ("which conversation called tool X with Y"). The search index
// (src/main/search/search-index.ts) fills it with the rows it reads; this file says what goes in.
import type Database from 'better-sqlite3'

/** Bumped when what goes into the detail table changes: search indexes are then built again. */
export const DETAIL_VERSION = 1

/** Arguments longer than this are searched by their start (as content is, at 100,000). */
const DETAIL_CHARS = 20_000

/** Run after the search index's own tables exist (it records its version in their state table). */
export const DETAIL_DDL = `
  CREATE VIRTUAL TABLE IF NOT EXISTS detail USING fts5(words, tokenize = 'unicode61 remove_diacritics 2');
  INSERT OR REPLACE INTO state VALUES ('detail_version', ${DETAIL_VERSION});`

/**
 * A search index made before the detail table (or with another version of it) has none of its rows:
 * its tables are dropped, before they are created again, so it is built anew. Dropping is quick where
 * deleting a million FTS rows would hold the process for seconds.
 */
export function dropIndexWithoutDetail(db: Database.Database): void {
  if (!db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'state'").get()) return
  const version = db.prepare("SELECT value FROM state WHERE key = 'detail_version'").pluck().get()
  if (version === DETAIL_VERSION) return
  for (const table of ['fts', 'detail', 'docs', 'skipped', 'state']) db.exec(`DROP TABLE IF EXISTS ${table}`)
}

const extraField = (field: string) =>
  `CASE WHEN json_valid(CAST(extra AS TEXT)) AND json_type(CAST(extra AS TEXT)) = 'object'
     THEN CAST(json_extract(CAST(extra AS TEXT), '$.${field}') AS TEXT) END`

/** Columns added to the search index's read of each row. */
export const DETAIL_COLUMNS_SQL = `substr(CAST(tool_calls AS TEXT), 1, ${DETAIL_CHARS}) AS detail_tool_calls,
  ${extraField('request_id')} AS detail_request_id, ${extraField('user_request_id')} AS detail_user_request_id,
  ${extraField('tool_call_id')} AS detail_tool_call_id, ${extraField('tool_name')} AS detail_tool_name`

export interface DetailColumns {
  detail_tool_calls: string | null
  detail_request_id: string | null
  detail_user_request_id: string | null
  detail_tool_call_id: string | null
  detail_tool_name: string | null
}

/**
 * The searchable detail of a row: for each tool call its function name, id and arguments, then the
 * ids in extra. Tool calls that are not valid JSON are indexed as they are (their words still count).
 */
export function detailText(row: DetailColumns): string {
  const parts: string[] = []
  const json = row.detail_tool_calls
  if (json) {
    let calls: unknown
    try {
      calls = JSON.parse(json)
    } catch {
      calls = undefined
    }
    if (Array.isArray(calls)) {
      for (const entry of calls) {
        const call = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>
        const fn = (
          typeof call.function === 'object' && call.function !== null ? call.function : {}
        ) as Record<string, unknown>
        for (const value of [fn.name, call.name, call.id, fn.arguments])
          if (typeof value === 'string' && value) parts.push(value)
      }
    } else parts.push(json)
  }
  for (const id of [
    row.detail_request_id,
    row.detail_user_request_id,
    row.detail_tool_call_id,
    row.detail_tool_name,
  ])
    if (id) parts.push(id)
  return parts.join('\n')
}
