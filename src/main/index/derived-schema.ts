// The tables of the derived index (one SQLite file per history in the app's data folder) and the one
// query that reads the user's file for it. Rows are copied in small batches; conversations are then
// summarized from the copy, so answers about the whole file never read the whole file again.
import { createHash } from 'node:crypto'
import type { FileIdentity } from '../db/open-database'

/** Bumped when a table changes meaning: an index of an older version is rebuilt from scratch. */
export const DERIVED_VERSION = 7

/** Where the derived index of `path` lives: keyed by path and file identity, as the search index is. */
export function derivedFileName(path: string, { dev, ino }: FileIdentity): string {
  const key = createHash('sha256').update(`${path}\0${dev}\0${ino}`).digest('hex').slice(0, 24)
  return `${key}.derived.db`
}

/** Every table, for starting over. */
export const DERIVED_TABLES = [
  'events',
  'calls',
  'conversations',
  'facets',
  'facet_counts',
  'dirty',
  'types',
  'state',
  'source',
]

export const DERIVED_DDL = `
  -- One row per event, with what the summaries need (no content: the preview is read from the file).
  CREATE TABLE IF NOT EXISTS events (rowid INTEGER PRIMARY KEY, event_id TEXT, conversation_id TEXT NOT NULL,
    seq REAL, type TEXT, model TEXT, time INTEGER, request_id TEXT, reply_to TEXT, tool_call_id TEXT,
    b_content INTEGER NOT NULL, b_extra INTEGER NOT NULL, b_raw INTEGER NOT NULL, b_tool_calls INTEGER NOT NULL);
  CREATE INDEX IF NOT EXISTS events_conversation ON events (conversation_id, seq);
  CREATE INDEX IF NOT EXISTS events_request ON events (conversation_id, request_id) WHERE request_id IS NOT NULL;
  CREATE INDEX IF NOT EXISTS events_result ON events (conversation_id, tool_call_id) WHERE tool_call_id IS NOT NULL;
  -- One row per entry of an event's tool_calls.
  CREATE TABLE IF NOT EXISTS calls (rowid INTEGER NOT NULL, conversation_id TEXT NOT NULL, call_id TEXT, name TEXT);
  CREATE INDEX IF NOT EXISTS calls_rowid ON calls (rowid);
  CREATE INDEX IF NOT EXISTS calls_conversation ON calls (conversation_id, call_id);
  CREATE TABLE IF NOT EXISTS conversations (conversation_id TEXT PRIMARY KEY, first_unix INTEGER, last_unix INTEGER,
    events INTEGER NOT NULL, preview TEXT NOT NULL, models TEXT NOT NULL, tools TEXT NOT NULL,
    tool_calls INTEGER NOT NULL, pending_deltas INTEGER NOT NULL, pending_replies INTEGER NOT NULL,
    calls_without_result INTEGER NOT NULL, b_content INTEGER NOT NULL, b_extra INTEGER NOT NULL,
    b_raw INTEGER NOT NULL, b_tool_calls INTEGER NOT NULL,
    -- The id and preview folded by JavaScript's toLowerCase (SQLite's lower() folds ASCII only), for the
    -- text filter's instr().
    folded_id TEXT NOT NULL, folded_preview TEXT NOT NULL);
  CREATE INDEX IF NOT EXISTS conversations_last ON conversations (last_unix DESC, conversation_id);
  CREATE INDEX IF NOT EXISTS conversations_first ON conversations (first_unix DESC, conversation_id);
  -- The largest conversations (chv stats, the Storage panel) without sorting every summary.
  CREATE INDEX IF NOT EXISTS conversations_bytes ON conversations
    ((b_content + b_extra + b_raw + b_tool_calls) DESC, conversation_id);
  -- What the counts of a filtered list read (the summaries' rows are wide: previews, model lists).
  CREATE INDEX IF NOT EXISTS conversations_counts ON conversations (tool_calls, pending_deltas,
    calls_without_result, last_unix, first_unix, conversation_id);
  -- Each conversation's models and tools as rows, so a filter by one reads its conversations only (a
  -- json_each over every summary took ~170 ms for 10,000 conversations).
  CREATE TABLE IF NOT EXISTS facets (kind TEXT NOT NULL, value TEXT NOT NULL, conversation_id TEXT NOT NULL,
    PRIMARY KEY (kind, value, conversation_id)) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS facets_conversation ON facets (conversation_id);
  -- Conversations per model and per tool, kept by the facets table's own triggers (so every way a facet
  -- row comes or goes counts): the unfiltered list's facet counts without reading every facet row.
  CREATE TABLE IF NOT EXISTS facet_counts (kind TEXT NOT NULL, value TEXT NOT NULL,
    conversations INTEGER NOT NULL, PRIMARY KEY (kind, value)) WITHOUT ROWID;
  CREATE TRIGGER IF NOT EXISTS facet_added AFTER INSERT ON facets BEGIN
    INSERT INTO facet_counts VALUES (new.kind, new.value, 1)
      ON CONFLICT (kind, value) DO UPDATE SET conversations = conversations + 1;
  END;
  CREATE TRIGGER IF NOT EXISTS facet_removed AFTER DELETE ON facets BEGIN
    UPDATE facet_counts SET conversations = conversations - 1 WHERE kind = old.kind AND value = old.value;
    DELETE FROM facet_counts WHERE kind = old.kind AND value = old.value AND conversations <= 0;
  END;
  CREATE INDEX IF NOT EXISTS events_reply ON events (conversation_id, reply_to) WHERE reply_to IS NOT NULL;
  -- Conversations whose rows changed since they were last summarized. full = 0: rows were only added and
  -- the totals are current (added as the rows came); pending replies, unanswered calls and the preview
  -- are looked at again. full = 1: everything is summarized again (rows were deleted, or it is new).
  CREATE TABLE IF NOT EXISTS dirty (conversation_id TEXT PRIMARY KEY, full INTEGER NOT NULL);
  -- Events and bytes per type, kept by adding and subtracting rows (a GROUP BY would read every row).
  CREATE TABLE IF NOT EXISTS types (type TEXT PRIMARY KEY, events INTEGER NOT NULL, b_content INTEGER NOT NULL,
    b_extra INTEGER NOT NULL, b_raw INTEGER NOT NULL, b_tool_calls INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value INTEGER);
  -- The file indexed, so indexes of files gone (or replaced) can be found and removed.
  CREATE TABLE IF NOT EXISTS source (path TEXT NOT NULL, dev TEXT NOT NULL, ino TEXT NOT NULL);`

/** A field of the row's extra JSON as text; NULL when extra is not JSON (files hold odd values). */
const extraField = (field: string) =>
  `CASE WHEN json_valid(CAST(extra AS TEXT)) AND json_type(CAST(extra AS TEXT)) = 'object'
     THEN CAST(json_extract(CAST(extra AS TEXT), '$.${field}') AS TEXT) END`

const bytes = (column: string) => `coalesce(length(CAST(${column} AS BLOB)), 0)`

/**
 * A batch of rows from the user's file, every column cast as the index stores it: one odd row (a BLOB
 * id, text in seq) must not stop the index. `time` is the expression for a row's unix time.
 */
export const sourceRowsSql = (time: string, batch: number) => `
  SELECT rowid, CAST(id AS TEXT) AS event_id, coalesce(CAST(conversation_id AS TEXT), '') AS conversation_id,
    CASE WHEN seq < '' THEN seq ELSE 0 END AS seq, CAST(type AS TEXT) AS type, CAST(model AS TEXT) AS model,
    CASE WHEN ${time} < '' THEN ${time} END AS time,
    ${extraField('request_id')} AS request_id,
    CASE WHEN CAST(type AS TEXT) = 'meta' AND ${extraField('kind')} = 'assistant_delta'
      THEN ${extraField('user_request_id')} END AS reply_to,
    ${extraField('tool_call_id')} AS tool_call_id,
    CASE WHEN tool_calls IS NOT NULL THEN CAST(tool_calls AS TEXT) END AS tool_calls_json,
    ${bytes('content')} AS b_content, ${bytes('extra')} AS b_extra, ${bytes('raw')} AS b_raw,
    ${bytes('tool_calls')} AS b_tool_calls
  FROM chat_events WHERE rowid > ? ORDER BY rowid LIMIT ${batch}`

export interface SourceRow {
  rowid: number
  event_id: string | null
  conversation_id: string
  seq: number
  type: string | null
  model: string | null
  time: number | null
  request_id: string | null
  reply_to: string | null
  tool_call_id: string | null
  tool_calls_json: string | null
  b_content: number
  b_extra: number
  b_raw: number
  b_tool_calls: number
}

export interface ToolCallEntry {
  call_id: string | null
  name: string | null
}

/** The id and function name of each entry of a tool_calls cell; nothing for cells that are not a JSON list. */
export function toolCallsOf(json: string | null): ToolCallEntry[] {
  if (!json) return []
  let parsed: unknown
  try {
    parsed = JSON.parse(json)
  } catch {
    return []
  }
  if (!Array.isArray(parsed)) return []
  return parsed.map((entry: unknown) => {
    const call = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>
    const fn = (typeof call.function === 'object' && call.function !== null ? call.function : {}) as Record<
      string,
      unknown
    >
    const name = typeof fn.name === 'string' ? fn.name : typeof call.name === 'string' ? call.name : null
    return { call_id: typeof call.id === 'string' ? call.id : null, name }
  })
}
