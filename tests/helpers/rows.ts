import Database from 'better-sqlite3'

/** Every row of a history, each column quoted (exact bytes and types), sorted: two equal lists mean equal files. */
export function rowsOf(path: string): string[] {
  const db = new Database(path, { readonly: true, fileMustExist: true })
  try {
    return db
      .prepare(
        `SELECT quote(id) || '|' || quote(conversation_id) || '|' || quote(seq) || '|' || quote(schema_version)
           || '|' || quote(type) || '|' || quote(role) || '|' || quote(content) || '|' || quote(tool_calls)
           || '|' || quote(provider) || '|' || quote(model) || '|' || quote(stop_reason) || '|' || quote(created_at)
           || '|' || quote(created_at_unix) || '|' || quote(extra) || '|' || quote(raw)
         FROM chat_events ORDER BY 1`,
      )
      .pluck()
      .all() as string[]
  } finally {
    db.close()
  }
}

/** (conversation, seq) pairs used by more than one row. */
export function duplicateSeqs(path: string): string[] {
  const db = new Database(path, { readonly: true, fileMustExist: true })
  try {
    return db
      .prepare(
        `SELECT conversation_id || '#' || seq FROM chat_events GROUP BY conversation_id, seq HAVING count(*) > 1`,
      )
      .pluck()
      .all() as string[]
  } finally {
    db.close()
  }
}
