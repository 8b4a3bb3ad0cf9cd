// The seed's schema, its migration, and what a file must have for us to read it.
import type Database from 'better-sqlite3'

export const CREATE_TABLE = `
CREATE TABLE IF NOT EXISTS chat_events (
  id TEXT PRIMARY KEY,
  conversation_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  schema_version INTEGER NOT NULL,
  type TEXT NOT NULL,
  role TEXT,
  content TEXT,
  tool_calls TEXT,
  provider TEXT,
  model TEXT,
  stop_reason TEXT,
  created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
  created_at_unix INTEGER,
  extra TEXT,
  raw TEXT,
  request_id TEXT GENERATED ALWAYS AS (json_extract(extra, '$.request_id')) VIRTUAL
)`

/** The seed's reading of `created_at` text as Unix seconds (its back-fill expression, verbatim). */
export const CREATED_AT_TO_UNIX = `CAST(strftime('%s',
  CASE
    WHEN instr(REPLACE(REPLACE(created_at, 'T', ' '), '+00:00', ''), 'Z') > 0
    THEN REPLACE(REPLACE(created_at, 'T', ' '), 'Z', '')
    ELSE REPLACE(REPLACE(created_at, 'T', ' '), '+00:00', '')
  END) AS INTEGER)`

const BACKFILL_CREATED_AT_UNIX = `
UPDATE chat_events SET created_at_unix = COALESCE(created_at_unix, ${CREATED_AT_TO_UNIX})
WHERE created_at_unix IS NULL`

const INDEXES = [
  'CREATE INDEX IF NOT EXISTS idx_conversation ON chat_events(conversation_id)',
  'CREATE INDEX IF NOT EXISTS idx_conversation_seq ON chat_events(conversation_id, seq)',
  'CREATE INDEX IF NOT EXISTS idx_created ON chat_events(created_at)',
  'CREATE INDEX IF NOT EXISTS idx_created_unix ON chat_events(created_at_unix)',
  `CREATE UNIQUE INDEX IF NOT EXISTS idx_request_id ON chat_events(conversation_id, request_id)
   WHERE request_id IS NOT NULL`,
]

/** Columns every query of ours reads; a `chat_events` without one of them is not one we understand. */
export const REQUIRED_COLUMNS = [
  'id',
  'conversation_id',
  'seq',
  'schema_version',
  'type',
  'role',
  'content',
  'tool_calls',
  'provider',
  'model',
  'stop_reason',
  'created_at',
  'extra',
  'raw',
  'request_id',
] as const

export interface SchemaState {
  /** The `created_at_unix` column exists (files from before the seed's migration lack it). */
  hasCreatedAtUnix: boolean
  /** Names of the seed's indexes present on `chat_events`. */
  indexes: string[]
}

export type SchemaProblem = { kind: 'no_chat_events' } | { kind: 'missing_columns'; columns: string[] }

export function inspectSchema(db: Database.Database): SchemaState | SchemaProblem {
  // table_xinfo, unlike table_info, lists generated columns such as request_id.
  const columns = db.prepare<[], { name: string }>("SELECT name FROM pragma_table_xinfo('chat_events')").all()
  if (columns.length === 0) return { kind: 'no_chat_events' }
  const names = new Set(columns.map((c) => c.name))
  const missing = REQUIRED_COLUMNS.filter((c) => !names.has(c))
  if (missing.length > 0) return { kind: 'missing_columns', columns: missing }
  const indexes = db
    .prepare<[], { name: string }>("SELECT name FROM pragma_index_list('chat_events') ORDER BY name")
    .all()
    .map((i) => i.name)
  return {
    hasCreatedAtUnix: names.has('created_at_unix'),
    indexes,
  }
}

/**
 * SQL matching `extra.request_id` against a parameter (`?`) or expression. With the seed's unique index
 * every `extra` is valid JSON (the index refuses rows whose id cannot be computed) and the index
 * answers; without it, a guard keeps one malformed `extra` from aborting the statement.
 */
export function requestIdMatches(schema: SchemaState, value = '?', table = ''): string {
  const column = (name: string) => (table ? `${table}.${name}` : name)
  return schema.indexes.includes('idx_request_id')
    ? `${column('request_id')} = ${value}`
    : `CASE WHEN json_valid(${column('extra')}) THEN json_extract(${column('extra')}, '$.request_id') END = ${value}`
}

/** The seed's connection pragmas, set explicitly (better-sqlite3 and Python differ on some defaults). */
export function applyWritePragmas(db: Database.Database): void {
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = NORMAL')
  db.pragma('cache_size = 10000')
  db.pragma('temp_store = memory')
}

/**
 * The seed's `_ensure_initialized`: create the table if missing, add and back-fill `created_at_unix`,
 * create the indexes. Idempotent, and run only on files opened for writing.
 */
export function ensureSchema(db: Database.Database): void {
  db.transaction(() => {
    db.exec(CREATE_TABLE)
    const hasUnix = db
      .prepare("SELECT count(*) FROM pragma_table_xinfo('chat_events') WHERE name = 'created_at_unix'")
      .pluck()
      .get()
    if (hasUnix === 0) db.exec('ALTER TABLE chat_events ADD COLUMN created_at_unix INTEGER')
    db.exec(BACKFILL_CREATED_AT_UNIX)
    for (const sql of INDEXES) db.exec(sql)
  }).immediate()
}
