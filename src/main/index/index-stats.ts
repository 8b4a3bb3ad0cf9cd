// `chv stats` and the Storage panel from the derived index: bytes per type, the largest conversations
// and what compaction would take out, from the index's kept totals (reading every row of a 1M-event
// file took 6-10 s). Only the file's page counts are asked of the file itself (three pragmas).
import type Database from 'better-sqlite3'
import type { StorageStats } from '../../shared/api'
import { bytesByType } from './conversation-query'

export function statsFromIndex(
  db: Database.Database,
  space: { fileBytes: number; freeBytes: number },
): StorageStats {
  const byType = bytesByType(db)
  const largest = db
    .prepare<[], StorageStats['largest'][number]>(
      `SELECT conversation_id, events, b_content + b_extra + b_raw + b_tool_calls AS bytes FROM conversations
       ORDER BY b_content + b_extra + b_raw + b_tool_calls DESC, conversation_id LIMIT 20`,
    )
    .all()
  // Pending replies (chunks whose reply has no compacted `assistant:<id>` message, as the summaries
  // count them), their chunks and text: read through the chunks' own partial index, in its order.
  const compaction = db
    .prepare<[], StorageStats['compaction']>(
      `SELECT count(*) AS replies, coalesce(sum(n), 0) AS chunks, coalesce(sum(b), 0) AS bytes
       FROM (SELECT count(*) AS n, sum(d.b_content) AS b FROM events AS d
         WHERE d.reply_to IS NOT NULL AND NOT EXISTS (SELECT 1 FROM events AS r
           WHERE r.conversation_id = d.conversation_id AND r.request_id = 'assistant:' || d.reply_to)
         GROUP BY d.conversation_id, d.reply_to)`,
    )
    .get()!
  return {
    ...space,
    events: byType.reduce((n, t) => n + t.events, 0),
    byType,
    largest,
    compaction,
  }
}
