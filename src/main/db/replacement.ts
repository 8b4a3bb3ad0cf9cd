// Rows changed in place (redaction): applied only to rows still exactly as their image, undone only
// where they are still exactly as the change left them. Rowid, id and seq stay.
import type Database from 'better-sqlite3'
import { UNDO } from './journal'
import { OF_STEP, SkipStep, imageCount, prepared, type Step } from './journaled-write'

const CHANGED = ['content', 'tool_calls', 'extra', 'raw'] as const

/** Rows of the file equal, column for column, to the step's images of one kind. */
const matching = (change: 'removed' | 'added') => `SELECT count(*) FROM ${UNDO}.images i
  JOIN main.chat_events c ON c.rowid = i.rowid_was AND quote(c.id) = quote(i.id)
    AND ${CHANGED.map((col) => `quote(c.${col}) = quote(i.${col})`).join(' AND ')}
  WHERE ${OF_STEP(change)}`

const copyFrom = (change: 'removed' | 'added') => `UPDATE main.chat_events
  SET ${CHANGED.map((col) => `${col} = i.${col}`).join(', ')}
  FROM ${UNDO}.images i WHERE ${OF_STEP(change)} AND main.chat_events.rowid = i.rowid_was`

const allMatch = (db: Database.Database, at: Step, change: 'removed' | 'added') =>
  (prepared(db, matching(change)).pluck().get(at) as number) === imageCount(db, at, change)

/** Inside the caller's IMMEDIATE transaction: the new values, if every row is still as planned. */
export function applyReplaceStep(db: Database.Database, at: Step): 'replaced' | 'changed' {
  if (!allMatch(db, at, 'removed')) return 'changed'
  prepared(db, copyFrom('added')).run(at)
  return 'replaced'
}

/** Puts the old values back where the rows are still as the change left them. */
export function undoReplaceStep(db: Database.Database, at: Step): { restored: number; removed: number } {
  if (allMatch(db, at, 'added')) {
    const restored = prepared(db, copyFrom('removed')).run(at).changes
    return { restored, removed: 0 }
  }
  if (allMatch(db, at, 'removed')) return { restored: 0, removed: 0 }
  throw new SkipStep('its rows were changed since')
}
