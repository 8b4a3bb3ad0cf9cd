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
  // Pending replies as the summaries count them; their chunks' text through the chunks' own index.
  const pending = db
    .prepare<[], { replies: number; chunks: number }>(
      `SELECT coalesce(sum(pending_replies), 0) AS replies, coalesce(sum(pending_deltas), 0) AS chunks
       FROM conversations WHERE pending_deltas > 0`,
    )
    .get()!
  const bytes = db
    .prepare<[], number>(
      `SELECT coalesce(sum(d.b_content), 0) FROM conversations AS c
         JOIN events AS d ON d.conversation_id = c.conversation_id AND d.reply_to IS NOT NULL
       WHERE c.pending_deltas > 0 AND NOT EXISTS (SELECT 1 FROM events AS r
         WHERE r.conversation_id = d.conversation_id AND r.request_id = 'assistant:' || d.reply_to)`,
    )
    .pluck()
    .get()!
  return {
    ...space,
    events: byType.reduce((n, t) => n + t.events, 0),
    byType,
    largest,
    compaction: { ...pending, bytes },
  }
}
