// Where the bytes of a chat history go, and what compaction and VACUUM would give back. Types and ids
// are read as text: a file may hold numbers or BLOBs there.
import type { StorageStats } from '../../shared/api'
import type { ChatRepository } from './repository'

const bytes = (column: string) => `coalesce(sum(length(CAST(${column} AS BLOB))), 0)`

export function storageStats(repo: ChatRepository): StorageStats {
  const { fileBytes, freeBytes } = repo.freeSpace()
  const byType = repo.db
    .prepare<[], StorageStats['byType'][number]>(
      // Ordered outside the GROUP BY: inside it, `content + extra + …` names the table's columns (one
      // row's cells), not the sums.
      `SELECT * FROM (SELECT CAST(type AS TEXT) AS type, count(*) AS events, ${bytes('content')} AS content,
         ${bytes('extra')} AS extra, ${bytes('raw')} AS raw, ${bytes('tool_calls')} AS tool_calls
       FROM chat_events GROUP BY type) ORDER BY content + extra + raw + tool_calls DESC, type`,
    )
    .all()
  const largest = repo.db
    .prepare<[], StorageStats['largest'][number]>(
      `SELECT CAST(conversation_id AS TEXT) AS conversation_id, count(*) AS events,
         ${bytes('content')} + ${bytes('extra')} + ${bytes('raw')} + ${bytes('tool_calls')} AS bytes
       FROM chat_events GROUP BY conversation_id ORDER BY bytes DESC, conversation_id LIMIT 20`,
    )
    .all()
  const replies = repo.planCompaction(null, 0).replies
  return {
    fileBytes,
    freeBytes,
    events: byType.reduce((n, t) => n + t.events, 0),
    byType,
    largest,
    compaction: {
      replies: replies.length,
      chunks: replies.reduce((n, r) => n + r.chunks, 0),
      bytes: replies.reduce((n, r) => n + r.bytes, 0),
    },
  }
}
