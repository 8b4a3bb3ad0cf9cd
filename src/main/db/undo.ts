// Undo of one journal entry: exactly the rows it removed come back and exactly the rows it added go,
// where they are still as it left them, one short transaction per step.
import type Database from 'better-sqlite3'
import type { UndoResult } from '../../shared/api'
import { withCheckpointsBetween, type JournalOptions, type WriteContext } from './cleanup'
import { stoppedPartWay } from './compaction'
import { DbError } from './errors'
import { journalPath, UNDO } from './journal'
import { undoReplaceStep } from './replacement'
import {
  IMAGES_OF,
  OF_STEP,
  ROW_COLUMNS,
  SkipStep,
  imageCount,
  markStep,
  setEntryState,
  type Step,
  prepared,
} from './journaled-write'

/**
 * The chat app reads MAX(seq) outside any transaction and inserts MAX+1 a moment later. Rows put back
 * above a conversation's MAX in that moment would share its seq; this is how long we wait before
 * looking, when a step raised the MAX (an insert in flight has landed by then: it waits at most for
 * our short transaction).
 */
export const SETTLE_MS = 300

interface StepRow {
  step: number
  kind: string
  conversation_id: unknown
  applied: number
}

interface StepUndo {
  restored: number
  removed: number
  /**
   * Rows came back above the conversation's highest seq in a conversation the chat app wrote to in the
   * last minutes: a write of its in flight could collide.
   */
  raisedMax: boolean
  /** Streamed chunks left out: the chat app has compacted their reply since. */
  leftOut: number
}

const NOTHING: StepUndo = { restored: 0, removed: 0, raisedMax: false, leftOut: 0 }

/**
 * Undoes `entryId`. A step that cannot be undone (a seq or request id the chat app has used since, a
 * merged reply changed since, the chat app writing into the conversation while it came back) is left
 * as it is and reported. Undoing twice is harmless: steps already undone are not touched again.
 */
export function runUndo(ctx: WriteContext, entryId: number, options: JournalOptions): UndoResult {
  const note = ctx.useJournal(journalPath(options.dataDir, ctx.path))
  const entry = prepared<{ state: string }>(ctx.db, `SELECT state FROM ${UNDO}.entries WHERE id = ?`).get(
    entryId,
  )
  if (!entry)
    throw new DbError('not_found', `There is no undo entry ${entryId} for ${ctx.path}; nothing was changed.`)
  const result: UndoResult = {
    rowsRestored: 0,
    rowsRemoved: 0,
    skipped: [],
    alreadyUndone: entry.state === 'undone',
    longestLockMs: 0,
    note,
  }
  if (result.alreadyUndone) return result
  ctx.takeLongestLockMs()
  const steps = prepared<StepRow>(
    ctx.db,
    `SELECT step, kind, conversation_id, applied FROM ${UNDO}.steps WHERE entry_id = ? AND undone = 0 ORDER BY step DESC`,
  ).all(entryId)
  const raised: StepRow[] = []
  let done = 0
  withCheckpointsBetween(ctx.db, steps.length, (index) => {
    const s = steps[index]!
    const at = { entry: entryId, step: s.step }
    try {
      const change = ctx.write(() => {
        const c =
          s.kind === 'compact'
            ? undoCompactionStep(ctx.db, at)
            : s.kind === 'replace'
              ? { ...NOTHING, ...undoReplaceStep(ctx.db, at) }
              : undoDeletionStep(ctx.db, at, s.applied === 1)
        markStep(ctx.db, at, 'undone', 1)
        return c
      })
      result.rowsRestored += change.restored
      result.rowsRemoved += change.removed
      if (change.leftOut > 0)
        result.skipped.push({
          conversation_id: String(s.conversation_id),
          reason: `${change.leftOut} streamed chunk${change.leftOut === 1 ? ' was' : 's were'} left out: the chat app has compacted their reply since`,
        })
      if (change.raisedMax) raised.push(s)
      done++
    } catch (error) {
      if (!(error instanceof SkipStep)) {
        if (done > 0) setEntryState(ctx.db, entryId, 'partly_undone')
        throw stoppedPartWay(error, done, `undid ${done} of ${steps.length} steps`)
      }
      result.skipped.push({ conversation_id: String(s.conversation_id), reason: error.message })
    }
  })
  for (const s of settle(ctx, entryId, raised)) {
    result.rowsRestored -= s.restored
    result.rowsRemoved -= s.removed
    result.skipped.push({
      conversation_id: String(s.conversation_id),
      reason: 'the chat app wrote to it while it was coming back (run restore again when it is idle)',
    })
  }
  setEntryState(ctx.db, entryId, result.skipped.length > 0 ? 'partly_undone' : 'undone')
  return { ...result, longestLockMs: ctx.takeLongestLockMs() }
}

/**
 * After SETTLE_MS, a step whose rows now share a seq with a row the chat app just wrote is done again
 * (its restored rows removed, its merged reply put back): no seq is left used twice. Returns those.
 */
function settle(
  ctx: WriteContext,
  entry: number,
  raised: StepRow[],
): (StepRow & { restored: number; removed: number })[] {
  if (raised.length === 0) return []
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, SETTLE_MS)
  const clashed = prepared(
    ctx.db,
    `SELECT 1 FROM ${UNDO}.images i JOIN main.chat_events c ON c.conversation_id = i.conversation_id
       AND c.seq = i.seq AND c.id IS NOT i.id
     WHERE ${OF_STEP('removed')} AND NOT EXISTS (SELECT 1 FROM ${UNDO}.images j WHERE j.entry_id = i.entry_id AND j.id = c.id)`,
  )
  return raised.flatMap((s) => {
    const at = { entry, step: s.step }
    if (!clashed.get(at)) return []
    return [{ ...s, ...ctx.write(() => redo(ctx.db, at)) }]
  })
}

/** Takes a step's undo back: its restored rows go, its merged reply (if any) returns. */
function redo(db: Database.Database, at: Step): { restored: number; removed: number } {
  const restored = prepared(
    db,
    `DELETE FROM main.chat_events WHERE id IN (SELECT i.id FROM ${IMAGES_OF('removed')})`,
  ).run(at).changes
  const removed = prepared(
    db,
    `INSERT INTO main.chat_events (${ROW_COLUMNS}) SELECT ${RESTORED} FROM ${IMAGES_OF('added')}`,
  ).run(at).changes
  markStep(db, at, 'undone', 0)
  return { restored, removed }
}

/**
 * Undoes one compacted reply: the merged reply goes, if it is still as compaction left it, and its
 * chunks come back, if their seq numbers are still free. Throws SkipStep (rolled back) otherwise.
 */
function undoCompactionStep(db: Database.Database, at: Step): StepUndo {
  const merged = prepared(
    db,
    `SELECT c.rowid FROM ${UNDO}.images i JOIN main.chat_events c ON c.id = i.id
       AND c.conversation_id IS i.conversation_id AND c.seq IS i.seq AND c.type IS i.type
       AND quote(c.content) = quote(i.content) AND c.extra IS i.extra WHERE ${OF_STEP('added')}`,
  )
    .pluck()
    .get(at) as number | undefined
  if (merged === undefined) {
    const addedStill = prepared(
      db,
      `SELECT 1 FROM ${IMAGES_OF('added')} AND EXISTS (SELECT 1 FROM main.chat_events c WHERE c.id = i.id)`,
    ).get(at)
    const chunksBack = prepared(
      db,
      `SELECT count(*) FROM ${IMAGES_OF('removed')} AND EXISTS (SELECT 1 FROM main.chat_events c WHERE c.id = i.id)`,
    )
      .pluck()
      .get(at) as number
    // Never applied (killed before its transaction), or undone already: nothing to do.
    if (!addedStill && chunksBack === imageCount(db, at, 'removed')) return NOTHING
    throw new SkipStep(
      addedStill
        ? 'its merged reply was changed since'
        : 'its merged reply was removed since (by the chat app?)',
    )
  }
  const max = maxSeq(db, at)
  prepared(db, 'DELETE FROM main.chat_events WHERE rowid = ?').run(merged)
  return { ...restoreImages(db, at, max), removed: 1 }
}

/**
 * A deletion step not marked applied was applied anyway when none of its rows is left (killed between
 * the file's commit and the journal's); with some left it never ran, and there is nothing to undo.
 */
function undoDeletionStep(db: Database.Database, at: Step, marked: boolean): StepUndo {
  if (!marked) {
    const present = prepared(
      db,
      `SELECT count(*) FROM ${IMAGES_OF('removed')} AND EXISTS (SELECT 1 FROM main.chat_events c WHERE c.id = i.id)`,
    )
      .pluck()
      .get(at) as number
    if (present > 0) return NOTHING
  }
  return { ...restoreImages(db, at, maxSeq(db, at)), removed: 0 }
}

/** The conversation's highest seq now (of the step's conversation). */
function maxSeq(db: Database.Database, at: Step): number | null {
  return prepared(
    db,
    `SELECT max(c.seq) FROM main.chat_events c WHERE c.conversation_id =
         (SELECT i.conversation_id FROM ${UNDO}.images i WHERE i.entry_id = @entry AND i.step = @step LIMIT 1)`,
  )
    .pluck()
    .get(at) as number | null
}

/**
 * Puts back a step's removed rows that are not in the file, in seq order, unless one of them would
 * share a seq (or a request id) with a row written since: then the whole step is skipped.
 */
function restoreImages(db: Database.Database, at: Step, maxBefore: number | null): Omit<StepUndo, 'removed'> {
  const absent = `${IMAGES_OF('removed')} AND NOT EXISTS (SELECT 1 FROM main.chat_events c WHERE c.id = i.id)`
  // A chunk whose reply the chat app has compacted since would come back as a leftover of a finished
  // reply: the app itself removed it (or would have), so it stays out.
  const replied = `CASE WHEN i.type = 'meta' AND json_valid(i.extra) THEN EXISTS (SELECT 1 FROM main.chat_events r
    WHERE r.conversation_id = i.conversation_id
      AND r.request_id = 'assistant:' || json_extract(i.extra, '$.user_request_id')) ELSE 0 END`
  const missing = `${absent} AND NOT ${replied}`
  const leftOut = prepared(db, `SELECT count(*) FROM ${absent} AND ${replied}`).pluck().get(at) as number
  const clash = prepared(
    db,
    `SELECT 1 FROM ${missing} AND EXISTS (SELECT 1 FROM main.chat_events c
         WHERE c.conversation_id = i.conversation_id AND c.seq = i.seq)`,
  ).get(at)
  if (clash) throw new SkipStep('the chat app has since written events with the same seq numbers')
  const top = prepared(db, `SELECT max(i.seq) FROM ${missing}`).pluck().get(at) as number | null
  try {
    const restored = prepared(
      db,
      `INSERT INTO main.chat_events (${ROW_COLUMNS}) SELECT ${RESTORED} FROM ${missing} ORDER BY i.seq`,
    ).run(at).changes
    return {
      restored,
      leftOut,
      raisedMax:
        restored > 0 && (maxBefore === null || (top !== null && top > maxBefore)) && recentlyActive(db, at),
    }
  } catch (error) {
    if (String((error as { code?: unknown }).code).startsWith('SQLITE_CONSTRAINT'))
      throw new SkipStep('the chat app has since written an event with the same request id')
    throw error
  }
}

/** How recent a conversation's newest event must be for the chat app to count as writing to it. */
export const ACTIVE_SECONDS = 300

/**
 * The step's conversation had an event in the last ACTIVE_SECONDS: among the step's rows, or as the
 * conversation's newest event now (one index lookup; a per-row scan of a 50,000-event conversation held
 * the lock for minutes).
 */
function recentlyActive(db: Database.Database, at: Step): boolean {
  const since = Math.floor(Date.now() / 1000) - ACTIVE_SECONDS
  const newestImage = prepared(db, `SELECT max(i.created_at_unix) FROM ${IMAGES_OF('removed')}`)
    .pluck()
    .get(at)
  if (typeof newestImage === 'number' && newestImage > since) return true
  const newestNow = prepared(
    db,
    `SELECT c.created_at_unix FROM main.chat_events c WHERE c.conversation_id =
       (SELECT i.conversation_id FROM ${UNDO}.images i WHERE i.entry_id = @entry AND i.step = @step LIMIT 1)
     ORDER BY c.seq DESC LIMIT 1`,
  )
    .pluck()
    .get(at)
  return typeof newestNow === 'number' && newestNow > since
}

const RESTORED = ROW_COLUMNS.split(', ')
  .map((c) => `i.${c}`)
  .join(', ')
