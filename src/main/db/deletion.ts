// Deleting conversations (or all of them: the seed's handle_clear_session) in two steps: a plan that
// changes nothing, then one short transaction per conversation that removes only rows the plan saw.
import type Database from 'better-sqlite3'
import type { DeletionPlan } from '../../shared/api'
import { stoppedPartWay } from './compaction'

type Prepare = <R>(sql: string) => Database.Statement<unknown[], R>

/** What deleting `conversationIds` (every conversation when null) would remove. */
export function planDeletion(stmt: Prepare, conversationIds: string[] | null): DeletionPlan {
  const maxRowid = stmt<number | null>('SELECT max(rowid) FROM chat_events').pluck().get() ?? 0
  const perConversation = stmt<{ conversation_id: string; rows: number; bytes: number }>(
    `SELECT conversation_id, count(*) AS rows,
       coalesce(sum(length(CAST(content AS BLOB)) + coalesce(length(CAST(extra AS BLOB)), 0)
         + coalesce(length(CAST(raw AS BLOB)), 0) + coalesce(length(CAST(tool_calls AS BLOB)), 0)), 0) AS bytes
     FROM chat_events WHERE rowid <= ? AND (? IS NULL OR conversation_id IN (SELECT value FROM json_each(?)))
     GROUP BY conversation_id ORDER BY conversation_id`,
  )
  const list = conversationIds === null ? null : JSON.stringify(conversationIds)
  const conversations = perConversation.all(maxRowid, list, list)
  return {
    all: conversationIds === null,
    maxRowid,
    conversations,
    rows: conversations.reduce((n, c) => n + c.rows, 0),
    bytes: conversations.reduce((n, c) => n + c.bytes, 0),
  }
}

/** Deletes each planned conversation's rows up to the plan's rowid, one transaction per conversation. */
export function applyDeletion(
  stmt: Prepare,
  inTransaction: <T>(work: () => T) => T,
  plan: DeletionPlan,
): { conversations: number; rowsRemoved: number; rowsKept: number } {
  let rowsRemoved = 0
  let rowsKept = 0
  let done = 0
  for (const { conversation_id } of plan.conversations) {
    try {
      inTransaction(() => {
        rowsRemoved += stmt('DELETE FROM chat_events WHERE conversation_id = ? AND rowid <= ?').run(
          conversation_id,
          plan.maxRowid,
        ).changes
        // Rows written after the plan (the chat app still writing) are not what the user saw: kept.
        rowsKept += stmt<number>('SELECT count(*) FROM chat_events WHERE conversation_id = ?')
          .pluck()
          .get(conversation_id)!
      })
    } catch (error) {
      throw stoppedPartWay(error, done, `deleted ${done} of ${plan.conversations.length} conversations`)
    }
    done++
  }
  return { conversations: plan.conversations.length, rowsRemoved, rowsKept }
}
