// Compaction of pending streamed replies in two steps: a plan that changes nothing, then an apply that
// merges each reply's chunks in SQL (bytes that are not valid UTF-8 survive) in its own short transaction.
import type Database from 'better-sqlite3'
import type { CompactionPlan, CompactionResult, DeltaGroup } from '../../shared/api'
import { DbError } from './errors'
import { INSERT_EVENT_INTO } from './event-row'
import { newEventId } from './ids'
import { pyJsonDumps } from './py-json'
import { CREATED_AT_TO_UNIX, requestIdMatches, type SchemaState } from './schema'
import { toPythonIso, toUnixSeconds } from './timestamps'

type Prepare = <R>(sql: string) => Database.Statement<unknown[], R>

const IS_DELTA = `type = 'meta'
  AND CASE WHEN json_valid(extra) THEN json_extract(extra, '$.kind') = 'assistant_delta' END`
const DELTAS_OF_GROUP = `conversation_id = @conversation_id AND ${IS_DELTA}
  AND json_extract(extra, '$.user_request_id') = @user_request_id AND rowid <= @max_rowid`

export const PREVIEW_BYTES = 400

/** Pending groups: chunks of one `user_request_id` with no `assistant:<user_request_id>` message. */
export function planCompaction(
  stmt: Prepare,
  schema: SchemaState,
  conversationId: string | null,
  minAgeSeconds: number,
  now = new Date(),
): CompactionPlan {
  const time = schema.hasCreatedAtUnix ? 'created_at_unix' : CREATED_AT_TO_UNIX
  const maxRowid = stmt<number | null>('SELECT max(rowid) FROM chat_events').pluck().get() ?? 0
  const rows = stmt<Omit<DeltaGroup, 'streaming'>>(
    `SELECT conversation_id, json_extract(extra, '$.user_request_id') AS user_request_id,
       count(*) AS chunks, coalesce(sum(length(CAST(content AS BLOB))), 0) AS bytes,
       min(seq) AS first_seq, max(seq) AS last_seq, max(${time}) AS newest_unix, max(model) AS model,
       substr(group_concat(content, '' ORDER BY seq), 1, ${PREVIEW_BYTES}) AS preview
     FROM chat_events AS d
     WHERE ${IS_DELTA} AND rowid <= @maxRowid AND (@conversationId IS NULL OR conversation_id = @conversationId)
     GROUP BY conversation_id, user_request_id
     HAVING user_request_id IS NOT NULL AND NOT EXISTS (
       SELECT 1 FROM chat_events AS reply WHERE reply.conversation_id = d.conversation_id
         AND ${requestIdMatches(schema, "'assistant:' || user_request_id", 'reply')})
     ORDER BY newest_unix DESC`,
  ).all({ maxRowid, conversationId })
  const cutoff = toUnixSeconds(now) - minAgeSeconds
  const groups = rows.map((g) => ({
    ...g,
    user_request_id: String(g.user_request_id),
    preview: g.preview ?? '',
    streaming: (g.newest_unix ?? 0) > cutoff,
  }))
  return {
    conversationId,
    maxRowid,
    groups,
    chunks: groups.reduce((n, g) => n + g.chunks, 0),
    bytes: groups.reduce((n, g) => n + g.bytes, 0),
  }
}

/**
 * Compacts each group of `plan` in its own transaction (run by `inTransaction`), as the seed's
 * `compact_deltas` would: one assistant message with `request_id = assistant:<user_request_id>`, the
 * chunks in seq order, the model the chunks carry. Only chunks the plan saw (rowid <= maxRowid) are
 * merged and deleted; later ones stay pending. A group the chat app compacted meanwhile is left alone.
 */
export function applyCompaction(
  stmt: Prepare,
  schema: SchemaState,
  inTransaction: <T>(work: () => T) => T,
  plan: CompactionPlan,
  includeStreaming: boolean,
  now = new Date(),
): CompactionResult {
  const result: CompactionResult = {
    compacted: 0,
    chunksRemoved: 0,
    skippedStreaming: 0,
    alreadyCompacted: 0,
    createdIds: [],
  }
  for (const group of plan.groups) {
    if (group.streaming && !includeStreaming) {
      result.skippedStreaming++
      continue
    }
    const params = {
      conversation_id: group.conversation_id,
      user_request_id: group.user_request_id,
      max_rowid: plan.maxRowid,
    }
    try {
      inTransaction(() => {
        const requestId = `assistant:${group.user_request_id}`
        const exists = stmt(
          `SELECT 1 FROM chat_events WHERE conversation_id = ? AND ${requestIdMatches(schema)}`,
        ).get(group.conversation_id, requestId)
        if (exists) {
          result.alreadyCompacted++
          return
        }
        // Numbered as if the chunks were already gone, as the seed numbers after its delete.
        const seq = stmt<number>(
          `SELECT COALESCE(MAX(seq), 0) + 1 FROM chat_events WHERE conversation_id = @conversation_id
           AND NOT (${IS_DELTA} AND json_extract(extra, '$.user_request_id') = @user_request_id AND rowid <= @max_rowid)`,
        )
          .pluck()
          .get(params)!
        const id = newEventId(now.getTime())
        const inserted = stmt(
          `${INSERT_EVENT_INTO}
           SELECT @id, @conversation_id, @seq, 1, 'assistant_message', 'assistant', group_concat(content, '' ORDER BY seq),
             NULL, NULL, max(model), NULL, @created_at, @created_at_unix, @extra, NULL
           FROM chat_events WHERE ${DELTAS_OF_GROUP} HAVING count(*) > 0`,
        ).run({
          ...params,
          id,
          seq,
          created_at: toPythonIso(now),
          created_at_unix: toUnixSeconds(now),
          extra: pyJsonDumps({ user_request_id: group.user_request_id, request_id: requestId }),
        })
        if (inserted.changes === 0) return
        result.chunksRemoved += stmt(`DELETE FROM chat_events WHERE ${DELTAS_OF_GROUP}`).run(params).changes
        result.compacted++
        result.createdIds.push(id)
      })
    } catch (error) {
      throw stoppedPartWay(
        error,
        result.compacted,
        `compacted ${result.compacted} of ${plan.groups.length} replies`,
      )
    }
  }
  return result
}

/**
 * A busy file part-way through: earlier transactions are done and stay done, so the message says what
 * happened instead of "nothing was changed".
 */
export function stoppedPartWay(error: unknown, doneCount: number, done: string): unknown {
  if (!(error instanceof DbError) || error.code !== 'locked' || doneCount === 0) return error
  return new DbError(
    'locked',
    `Another program (the chat app?) kept the file busy: ${done}, the rest is unchanged. Run it again to finish.`,
  )
}
