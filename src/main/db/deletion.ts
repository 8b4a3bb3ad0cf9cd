// Deleting conversations (or all of them: the seed's handle_clear_session) in two steps: a plan that
// changes nothing and names every row, then short transactions that remove only rows still as planned.
import type Database from 'better-sqlite3'
import {
  STILL_AS_PLANNED,
  OF_STEP,
  type PlannedRow,
  type Step,
  type StepSpec,
  prepared,
} from './journaled-write'
import { UNDO } from './journal'

type Prepare = <R>(sql: string) => Database.Statement<unknown[], R>

/**
 * Rows per transaction: a big conversation is deleted (and restored) in parts, each well under 100 ms
 * (parts of 2,000 held the lock for up to 300 ms on a loaded 2-core machine).
 */
export const ROWS_PER_STEP = 500

export interface PlannedConversation {
  conversation_id: string
  conversationKey: unknown
  rows: number
  bytes: number
  planned: PlannedRow[]
}

export interface DeletionWork {
  all: boolean
  conversations: PlannedConversation[]
  /** Ids asked for that name no conversation in the file. */
  unknown: string[]
}

const BYTES = `coalesce(sum(coalesce(length(CAST(content AS BLOB)), 0) + coalesce(length(CAST(extra AS BLOB)), 0)
  + coalesce(length(CAST(raw AS BLOB)), 0) + coalesce(length(CAST(tool_calls AS BLOB)), 0)), 0)`

/** What deleting `conversationIds` (every conversation when null) would remove. */
export function planDeletion(stmt: Prepare, conversationIds: string[] | null): DeletionWork {
  const summaries =
    conversationIds === null
      ? stmt<{ conversationKey: unknown; rows: number; bytes: number }>(
          `SELECT conversation_id AS conversationKey, count(*) AS rows, ${BYTES} AS bytes
           FROM chat_events GROUP BY conversation_id ORDER BY conversation_id`,
        ).all()
      : [...new Set(conversationIds)].sort().flatMap((id) => {
          const s = stmt<{ rows: number; bytes: number }>(
            `SELECT count(*) AS rows, ${BYTES} AS bytes FROM chat_events WHERE conversation_id = ?`,
          ).get(id)!
          return s.rows > 0 ? [{ conversationKey: id as unknown, ...s }] : []
        })
  const rowsOf = stmt<{ rowid: number; quoted: string }>(
    'SELECT rowid, quote(id) AS quoted FROM chat_events WHERE conversation_id = ? ORDER BY seq DESC',
  )
  const conversations = summaries.map((s) => ({
    ...s,
    conversation_id: String(s.conversationKey),
    planned: rowsOf.all(s.conversationKey).map((r): PlannedRow => [r.rowid, r.quoted]),
  }))
  const found = new Set(conversations.map((c) => c.conversation_id))
  return {
    all: conversationIds === null,
    conversations,
    unknown: (conversationIds ?? []).filter((id) => !found.has(id)),
  }
}

/** The journal steps of a deletion: each conversation in parts of at most ROWS_PER_STEP rows. */
export function deletionSteps(work: DeletionWork): StepSpec[] {
  return work.conversations.flatMap((c) => {
    const steps: StepSpec[] = []
    for (let i = 0; i < c.planned.length; i += ROWS_PER_STEP)
      steps.push({
        kind: 'delete',
        conversation_id: c.conversationKey,
        rows: c.planned.slice(i, i + ROWS_PER_STEP),
      })
    return steps
  })
}

/**
 * Deletes a step's rows that are still as planned, inside the caller's IMMEDIATE transaction. Rows
 * already gone (the chat app's own compaction) are marked so undo never brings them back; rows
 * written after the plan are not in it and stay.
 */
export function applyDeletionStep(db: Database.Database, at: Step): number {
  prepared(
    db,
    `UPDATE ${UNDO}.images SET change = 'gone' WHERE entry_id = @entry AND step = @step AND change = 'removed'
     AND rowid NOT IN (SELECT i.rowid FROM ${UNDO}.images i
       JOIN main.chat_events c ON c.rowid = i.rowid_was AND quote(c.id) = quote(i.id) WHERE ${OF_STEP('removed')})`,
  ).run(at)
  return prepared(db, `DELETE FROM main.chat_events WHERE rowid IN (${STILL_AS_PLANNED})`).run(at).changes
}

/** Rows of a conversation left after its last step: written after the plan, and kept. */
export function rowsLeft(db: Database.Database, conversation: unknown): number {
  return prepared(db, 'SELECT count(*) FROM main.chat_events WHERE conversation_id = ?')
    .pluck()
    .get(conversation) as number
}
