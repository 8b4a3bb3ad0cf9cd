// The seed's CREATE TABLE for Python snippets that build test files, with the variants files come in.

/** `created_at_unix`: files from before the seed's migration lack it. `requestId`: the virtual column. */
export function seedTableSql(options: { createdAtUnix?: boolean; requestId?: boolean } = {}): string {
  const { createdAtUnix = true, requestId = true } = options
  return `CREATE TABLE chat_events (id TEXT PRIMARY KEY, conversation_id TEXT NOT NULL, seq INTEGER NOT NULL,
 schema_version INTEGER NOT NULL, type TEXT NOT NULL, role TEXT, content TEXT, tool_calls TEXT, provider TEXT,
 model TEXT, stop_reason TEXT, created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,${createdAtUnix ? ' created_at_unix INTEGER,' : ''} extra TEXT, raw TEXT${
   requestId ? ",\n request_id TEXT GENERATED ALWAYS AS (json_extract(extra, '$.request_id')) VIRTUAL" : ''
 })`
}

/**
 * Python that adds the virtual request_id column after rows are in (SQLite computes it on every insert,
 * so rows with a malformed extra can only be met this way).
 */
export const ADD_REQUEST_ID_AFTERWARDS = `c.execute("PRAGMA writable_schema=ON")
c.execute("""UPDATE sqlite_master SET sql = replace(sql, 'raw TEXT)', 'raw TEXT, request_id TEXT GENERATED ALWAYS AS (json_extract(extra, ''$.request_id'')) VIRTUAL)') WHERE name = 'chat_events'""")
c.commit()`
