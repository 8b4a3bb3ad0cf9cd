// Compaction of pending streamed replies in two steps: a plan that changes nothing and names the exact
// rows of each reply, then one short transaction per reply that replaces exactly those chunks with one
// assistant message, merged in SQL (bytes that are not valid UTF-8 survive), where they were streamed.
import type Database from 'better-sqlite3'
import type { DeltaGroup } from '../../shared/api'
import { DbError } from './errors'
import { newEventId } from './ids'
import {
  IMAGES_OF,
  ROW_COLUMNS,
  STILL_AS_PLANNED,
  imageCount,
  type PlannedRow,
  type Step,
  type StepSpec,
  prepared,
} from './journaled-write'
import { pyJsonDumps } from './py-json'
import { CREATED_AT_TO_UNIX, requestIdMatches, type SchemaState } from './schema'
import { toUnixSeconds } from './timestamps'

type Prepare = <R>(sql: string) => Database.Statement<unknown[], R>

const IS_DELTA = `type = 'meta'
  AND CASE WHEN json_valid(extra) THEN json_extract(extra, '$.kind') = 'assistant_delta' END`
const URID = `json_extract(extra, '$.user_request_id')`

export const PREVIEW_BYTES = 400

/** A pending reply as planned: the summary the user sees and the rows it will replace. */
export interface PlannedReply extends DeltaGroup {
  conversationKey: unknown
  requestKey: unknown
  rows: PlannedRow[]
}

export interface CompactionWork {
  conversationId: string | null
  minAgeSeconds: number
  replies: PlannedReply[]
}

/** Pending replies: chunks of one `user_request_id` with no `assistant:<user_request_id>` message. */
export function planCompaction(
  stmt: Prepare,
  schema: SchemaState,
  conversationId: string | null,
  minAgeSeconds: number,
  now = new Date(),
): CompactionWork {
  const time = schema.hasCreatedAtUnix
    ? `coalesce(created_at_unix, ${CREATED_AT_TO_UNIX})`
    : CREATED_AT_TO_UNIX
  // One conversation is read through its index; `? IS NULL OR` would make SQLite scan the file.
  const where = conversationId === null ? IS_DELTA : `conversation_id = @conversationId AND ${IS_DELTA}`
  const groups = stmt<Omit<DeltaGroup, 'streaming'> & { conversationKey: unknown; requestKey: unknown }>(
    `SELECT conversation_id AS conversationKey, ${URID} AS requestKey,
       count(*) AS chunks, coalesce(sum(length(CAST(content AS BLOB))), 0) AS bytes,
       min(seq) AS first_seq, max(seq) AS last_seq, max(${time}) AS newest_unix, max(model) AS model,
       substr(group_concat(content, '' ORDER BY seq), 1, ${PREVIEW_BYTES}) AS preview
     FROM chat_events AS d WHERE ${where}
     GROUP BY conversation_id, requestKey
     HAVING requestKey IS NOT NULL AND NOT EXISTS (
       SELECT 1 FROM chat_events AS reply WHERE reply.conversation_id = d.conversation_id
         AND ${requestIdMatches(schema, "'assistant:' || requestKey", 'reply')})
     ORDER BY newest_unix DESC`,
  ).all({ conversationId })
  const rows = stmt<{ rowid: number; quoted: string; conversationKey: unknown; requestKey: unknown }>(
    `SELECT rowid, quote(id) AS quoted, conversation_id AS conversationKey, ${URID} AS requestKey
     FROM chat_events WHERE ${where} ORDER BY seq`,
  ).all({ conversationId })
  const key = (conversation: unknown, request: unknown) => `${keyOf(conversation)}\u0000${keyOf(request)}`
  const byKey = new Map<string, PlannedRow[]>()
  for (const g of groups) byKey.set(key(g.conversationKey, g.requestKey), [])
  for (const r of rows) byKey.get(key(r.conversationKey, r.requestKey))?.push([r.rowid, r.quoted])
  const cutoff = toUnixSeconds(now) - minAgeSeconds
  return {
    conversationId,
    minAgeSeconds,
    replies: groups.map((g) => ({
      ...g,
      conversation_id: String(g.conversationKey),
      user_request_id: String(g.requestKey),
      preview: String(g.preview ?? ''),
      streaming: (g.newest_unix ?? 0) > cutoff,
      rows: byKey.get(key(g.conversationKey, g.requestKey)) ?? [],
    })),
  }
}

const keyOf = (value: unknown) =>
  Buffer.isBuffer(value) ? `x${value.toString('hex')}` : `${typeof value}:${String(value)}`

/** The journal steps of a compaction: one per reply old enough to be done streaming. */
export function compactionSteps(work: CompactionWork, now = new Date()): StepSpec[] {
  return work.replies
    .filter((r) => !r.streaming)
    .map((r) => ({
      kind: 'compact',
      conversation_id: r.conversationKey,
      user_request_id: r.requestKey,
      rows: r.rows,
      newId: newEventId(now.getTime()),
      newExtra: pyJsonDumps({
        user_request_id: r.requestKey as string | number,
        request_id: `assistant:${String(r.requestKey)}`,
      }),
    }))
}

export type CompactOutcome = 'compacted' | 'already_compacted' | 'changed' | 'streaming'

/**
 * Applies one reply, inside the caller's IMMEDIATE transaction: only if its chunks are exactly the
 * planned ones (none gone, none added) and the newest is still older than `minAgeSeconds`; otherwise
 * nothing is written and the reply is left as it is.
 */
export function applyCompactionStep(
  db: Database.Database,
  schema: SchemaState,
  at: Step,
  spec: StepSpec,
  minAgeSeconds: number,
  now = new Date(),
): CompactOutcome {
  const params = { ...at, conversation: spec.conversation_id, request: spec.user_request_id }
  const reply = prepared(
    db,
    `SELECT 1 FROM main.chat_events WHERE conversation_id = @conversation
       AND ${requestIdMatches(schema, "'assistant:' || @request")}`,
  ).get(params)
  if (reply) return 'already_compacted'
  const current = prepared<{ chunks: number; newest: number | null }>(
    db,
    `SELECT count(*) AS chunks, max(coalesce(${schema.hasCreatedAtUnix ? 'created_at_unix' : 'NULL'}, ${CREATED_AT_TO_UNIX})) AS newest
       FROM main.chat_events WHERE conversation_id = @conversation AND ${IS_DELTA} AND ${URID} = @request`,
  ).get(params)!
  const planned = imageCount(db, at, 'removed')
  const matched = prepared(db, `SELECT count(*) FROM (${STILL_AS_PLANNED})`).pluck().get(at) as number
  if (planned === 0 || current.chunks !== planned || matched !== planned) return 'changed'
  if ((current.newest ?? 0) > toUnixSeconds(now) - minAgeSeconds) return 'streaming'
  prepared(db, `DELETE FROM main.chat_events WHERE rowid IN (${STILL_AS_PLANNED})`).run(at)
  prepared(
    db,
    `INSERT INTO main.chat_events (${ROW_COLUMNS}) SELECT ${ROW_COLUMNS} FROM ${IMAGES_OF('added')}`,
  ).run(at)
  return 'compacted'
}

/** A busy file part-way through: earlier transactions stay done, so the message says what happened. */
export function stoppedPartWay(error: unknown, doneCount: number, done: string): unknown {
  if (!(error instanceof DbError) || error.code !== 'locked' || doneCount === 0) return error
  return new DbError(
    'locked',
    `Another program (the chat app?) kept the file busy: ${done}, the rest is unchanged. Run it again to finish.`,
  )
}
