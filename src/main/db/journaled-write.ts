// What every cleanup shares: its steps are recorded in the undo journal (with the image of each row a
// step will remove or add) before the first write to the user's file, then applied one short
// transaction each, and undone step by step from those images.
import type Database from 'better-sqlite3'
import { STORED_COLUMNS } from './event-row'
import { UNDO } from './journal'
import { CREATED_AT_TO_UNIX } from './schema'

const statements = new WeakMap<Database.Database, Map<string, Database.Statement>>()

/** A statement prepared once per connection: a cleanup runs the same few for each of thousands of steps. */
export function prepared<R = unknown>(db: Database.Database, sql: string): Database.Statement<unknown[], R> {
  let cache = statements.get(db)
  if (!cache) statements.set(db, (cache = new Map()))
  let statement = cache.get(sql)
  if (!statement) cache.set(sql, (statement = db.prepare(sql)))
  return statement as Database.Statement<unknown[], R>
}

/** A row as a plan saw it: its rowid and `quote(id)`, so a reused rowid is never taken for it. */
export type PlannedRow = [rowid: number, quotedId: string]

/** New text for some columns of one row (redaction). */
export interface Replacement {
  rowid: number
  columns: Partial<Record<'content' | 'tool_calls' | 'extra' | 'raw', string>>
}

export interface StepSpec {
  kind: 'compact' | 'delete' | 'replace'
  conversation_id: unknown
  user_request_id?: unknown
  rows: PlannedRow[]
  /** Compaction: the id its merged reply will have. */
  newId?: string
  /** Compaction: the merged reply's `extra`, as the seed writes it. */
  newExtra?: string
  /** Replacement: the rows' new column values (their 'added' images are the old rows with these). */
  replacements?: Replacement[]
}

export interface OperationSpec {
  operation: 'compact' | 'delete' | 'clear' | 'redact'
  source: string
  conversations: string[]
  steps: StepSpec[]
  backup: string | null
}

/** A row image holds every stored column. */
export const ROW_COLUMNS = STORED_COLUMNS

/** The condition for a step's images of one kind ('removed' or 'added'), aliased `i`. */
export const OF_STEP = (change: 'removed' | 'added') =>
  `i.entry_id = @entry AND i.step = @step AND i.change = '${change}'`

/** A step's images of one kind, as a FROM clause. */
export const IMAGES_OF = (change: 'removed' | 'added') => `${UNDO}.images i WHERE ${OF_STEP(change)}`

/** Rows of the user's file that are still exactly the ones a step's images were taken from. */
export const STILL_AS_PLANNED = `SELECT c.rowid FROM ${UNDO}.images i
  JOIN main.chat_events c ON c.rowid = i.rowid_was AND quote(c.id) = quote(i.id) WHERE ${OF_STEP('removed')}`

/**
 * Commits the entry, its steps and the images of every row its steps will remove or add, before any
 * write to the user's file (synchronous=FULL for this one commit: it must outlive a power cut too).
 * Reading the user's file here takes no write lock: the chat app keeps writing meanwhile.
 */
export function writeAhead(
  db: Database.Database,
  spec: OperationSpec,
  hasCreatedAtUnix: boolean,
  now = new Date(),
): { entryId: number; removed: number; added: number } {
  // A file from before created_at_unix gets it (back-filled) right before the first step: the image is
  // the row as it will be then, so undo restores exactly that.
  const unix = hasCreatedAtUnix
    ? 'c.created_at_unix'
    : CREATED_AT_TO_UNIX.replaceAll('created_at', 'c.created_at')
  const captureRemoved = prepared(
    db,
    `INSERT INTO ${UNDO}.images (entry_id, step, change, rowid_was, ${ROW_COLUMNS})
     SELECT @entry, @step, 'removed', c.rowid, c.id, c.conversation_id, c.seq, c.schema_version, c.type, c.role,
       c.content, c.tool_calls, c.provider, c.model, c.stop_reason, c.created_at, ${unix}, c.extra, c.raw
     FROM json_each(@rows) AS j JOIN main.chat_events c ON c.rowid = j.value ->> 0 AND quote(c.id) = j.value ->> 1`,
  )
  // The merged reply keeps its place: the seq of its first chunk and the time of its last, both free
  // once the chunks are deleted in the same transaction, so it can never collide with the chat app.
  const captureMerged = prepared(
    db,
    `INSERT INTO ${UNDO}.images (entry_id, step, change, rowid_was, ${ROW_COLUMNS})
     SELECT @entry, @step, 'added', NULL, @id, min(i.conversation_id), min(i.seq), 1, 'assistant_message',
       'assistant', group_concat(i.content, '' ORDER BY i.seq), NULL, NULL, max(i.model), NULL,
       (SELECT created_at FROM ${IMAGES_OF('removed')} ORDER BY seq DESC LIMIT 1),
       (SELECT coalesce(created_at_unix, ${CREATED_AT_TO_UNIX}) FROM ${IMAGES_OF('removed')} ORDER BY seq DESC LIMIT 1),
       @extra, NULL
     FROM ${IMAGES_OF('removed')} HAVING count(*) > 0`,
  )
  const changed = (c: string) => `CASE WHEN @set_${c} THEN @${c} ELSE i.${c} END`
  const captureReplaced = prepared(
    db,
    `INSERT INTO ${UNDO}.images (entry_id, step, change, rowid_was, ${ROW_COLUMNS})
     SELECT i.entry_id, i.step, 'added', i.rowid_was, i.id, i.conversation_id, i.seq, i.schema_version, i.type,
       i.role, ${changed('content')}, ${changed('tool_calls')}, i.provider, i.model, i.stop_reason, i.created_at,
       i.created_at_unix, ${changed('extra')}, ${changed('raw')}
     FROM ${IMAGES_OF('removed')} AND i.rowid_was = @rowid`,
  )
  const insertStep = prepared(
    db,
    `INSERT INTO ${UNDO}.steps (entry_id, step, kind, conversation_id, user_request_id)
     VALUES (@entry, @step, @kind, @conversation_id, @user_request_id)`,
  )
  db.pragma(`${UNDO}.synchronous = FULL`)
  try {
    return db.transaction(() => {
      const entry = Number(
        prepared(
          db,
          `INSERT INTO ${UNDO}.entries (operation, source, created_at, state, conversations, backup)
             VALUES (?, ?, ?, 'applying', ?, ?)`,
        ).run(spec.operation, spec.source, now.toISOString(), JSON.stringify(spec.conversations), spec.backup)
          .lastInsertRowid,
      )
      let removed = 0
      let added = 0
      spec.steps.forEach((s, step) => {
        const at = { entry, step }
        insertStep.run({
          ...at,
          kind: s.kind,
          conversation_id: s.conversation_id,
          user_request_id: s.user_request_id ?? null,
        })
        removed += captureRemoved.run({ ...at, rows: JSON.stringify(s.rows) }).changes
        if (s.newId) added += captureMerged.run({ ...at, id: s.newId, extra: s.newExtra ?? null }).changes
        for (const r of s.replacements ?? []) {
          const values: Record<string, unknown> = { ...at, rowid: r.rowid }
          for (const c of ['content', 'tool_calls', 'extra', 'raw'] as const) {
            values[`set_${c}`] = r.columns[c] === undefined ? 0 : 1
            values[c] = r.columns[c] ?? null
          }
          added += captureReplaced.run(values).changes
        }
      })
      prepared(db, `UPDATE ${UNDO}.entries SET rows_removed = ?, rows_added = ? WHERE id = ?`).run(
        removed,
        added,
        entry,
      )
      return { entryId: entry, removed, added }
    })()
  } finally {
    db.pragma(`${UNDO}.synchronous = NORMAL`)
  }
}

/** Rows a step has images of, of one kind. */
export function imageCount(db: Database.Database, at: Step, change: 'removed' | 'added'): number {
  return prepared(db, `SELECT count(*) FROM ${IMAGES_OF(change)}`)
    .pluck()
    .get(at) as number
}

export interface Step {
  entry: number
  step: number
}

export function markStep(db: Database.Database, at: Step, column: 'applied' | 'undone', value: number): void {
  prepared(db, `UPDATE ${UNDO}.steps SET ${column} = ? WHERE entry_id = @entry AND step = @step`).run(
    value,
    at,
  )
}

export function setEntryState(db: Database.Database, entry: number, state: string): void {
  prepared(
    db,
    `UPDATE ${UNDO}.entries SET state = ?, undone_at = CASE WHEN ? LIKE '%undone' THEN ? ELSE undone_at END WHERE id = ?`,
  ).run(state, state, new Date().toISOString(), entry)
}

/** Thrown inside a step's transaction to roll it back and go on with the next step. */
export class SkipStep extends Error {}
