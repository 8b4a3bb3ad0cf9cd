// The cleanups as the app runs them: the undo journal written ahead, the schema migrated only right
// before the first real change, each step one short IMMEDIATE transaction, and undo (undo.ts) step by step.
import type Database from 'better-sqlite3'
import type { CompactionResult, DeletionResult } from '../../shared/api'
import { backupToDataDir } from './backup'
import { applyCompactionStep, compactionSteps, stoppedPartWay } from './compaction'
import type { CompactionWork } from './compaction'
import { applyDeletionStep, deletionSteps, rowsLeft, type DeletionWork } from './deletion'
import { journalPath, pruneEntries, RETENTION, UNDO, type Retention } from './journal'
import {
  markStep,
  setEntryState,
  writeAhead,
  type OperationSpec,
  type Step,
  type StepSpec,
  prepared,
} from './journaled-write'
import { applyReplaceStep } from './replacement'
import type { SchemaState } from './schema'

export interface JournalOptions {
  /** The app's data folder: the journal goes in journal/, full backups in backups/. */
  dataDir: string
  retention?: Retention
  /** Take a full backup first (the default for clear, which touches everything). */
  backup?: boolean
  /** Zero what the change frees in the file (SQLite's secure_delete), for removing secrets for good. */
  secureDelete?: boolean
}

/** What the repository lends a cleanup: its connection and its one way to write. */
export interface WriteContext {
  readonly db: Database.Database
  readonly path: string
  readonly schema: SchemaState
  /** Runs `work` in one IMMEDIATE transaction (retried once when busy), timing how long it held the lock. */
  write<T>(work: () => T): T
  /** The seed's schema migration, if the file needs it; true when it changed the file. */
  migrate(): boolean
  /** Attaches the file's journal once; a sentence when a damaged journal was moved aside. */
  useJournal(path: string): string | null
  /** The longest transaction since the last call, in ms. */
  takeLongestLockMs(): number
}

/** Records the operation ahead, migrates, then applies each step; drops the entry if nothing applied. */
function journaled(
  ctx: WriteContext,
  options: JournalOptions,
  spec: Omit<OperationSpec, 'source' | 'backup'>,
  applyStep: (at: Step, index: number) => boolean,
  describe: (done: number) => string,
): {
  entryId: number | null
  migrated: boolean
  backup: { path: string; bytes: number } | null
  note: string | null
} {
  const note = ctx.useJournal(journalPath(options.dataDir, ctx.path))
  const backup = options.backup ? backupToDataDir(ctx.db, ctx.path, options.dataDir, spec.operation) : null
  const { entryId } = writeAhead(
    ctx.db,
    { ...spec, source: ctx.path, backup: backup?.path ?? null },
    ctx.schema.hasCreatedAtUnix,
  )
  // The images just written are checkpointed into the journal now, not inside the first step's commit.
  ctx.db.pragma(`${UNDO}.wal_checkpoint(PASSIVE)`)
  let migrated = false
  let applied = 0
  if (options.secureDelete) ctx.db.pragma('main.secure_delete = ON')
  try {
    migrated = ctx.migrate()
    withCheckpointsBetween(ctx.db, spec.steps.length, (step) => {
      if (applyStep({ entry: entryId, step }, step)) applied++
    })
  } catch (error) {
    ctx.db.pragma('main.secure_delete = OFF')
    // The entry stays listed (as interrupted) if even this fails: what was applied can be undone.
    tidy(() => finish(ctx.db, entryId, applied, 'stopped'))
    throw stoppedPartWay(error, applied, describe(applied))
  }
  ctx.db.pragma('main.secure_delete = OFF')
  // The change is made: bookkeeping that fails now is said, never reported as the change failing.
  let kept = true
  const problem = tidy(() => {
    kept = finish(ctx.db, entryId, applied, 'applied')
    if (kept) pruneEntries(ctx.db, options.retention ?? RETENTION, entryId)
  })
  const notes = [
    note,
    problem &&
      `The change was made and can be undone, but the undo journal could not be tidied (${problem}).`,
  ]
  return { entryId: kept ? entryId : null, migrated, backup, note: notes.filter(Boolean).join(' ') || null }
}

/** Runs bookkeeping after a change; its failure comes back as a message instead of an exception. */
function tidy(work: () => void): string | null {
  try {
    work()
    return null
  } catch (error) {
    return (error as Error).message
  }
}

/** Settles an entry; one whose steps all turned out to have nothing to do is removed. */
function finish(db: Database.Database, entryId: number, applied: number, state: string): boolean {
  if (applied > 0) {
    setEntryState(db, entryId, state)
    return true
  }
  db.transaction(() => {
    for (const table of ['images', 'steps'])
      prepared(db, `DELETE FROM ${UNDO}.${table} WHERE entry_id = ?`).run(entryId)
    prepared(db, `DELETE FROM ${UNDO}.entries WHERE id = ?`).run(entryId)
  })()
  return false
}

export function runCompaction(
  ctx: WriteContext,
  work: CompactionWork,
  options: JournalOptions,
): CompactionResult {
  const now = new Date()
  const steps = compactionSteps(work, now)
  const result: CompactionResult = {
    entryId: null,
    compacted: 0,
    chunksRemoved: 0,
    skippedStreaming: work.replies.length - steps.length,
    alreadyCompacted: 0,
    changedSincePlan: 0,
    migrated: false,
    longestLockMs: 0,
    note: null,
  }
  if (steps.length === 0) return result
  ctx.takeLongestLockMs()
  const conversations = [...new Set(work.replies.filter((r) => !r.streaming).map((r) => r.conversation_id))]
  const done = journaled(
    ctx,
    options,
    { operation: 'compact', conversations, steps },
    (at, index) => {
      const outcome = ctx.write(() => {
        const o = applyCompactionStep(ctx.db, ctx.schema, at, steps[index]!, work.minAgeSeconds)
        if (o === 'compacted') markStep(ctx.db, at, 'applied', 1)
        return o
      })
      if (outcome === 'compacted') {
        result.compacted++
        result.chunksRemoved += steps[index]!.rows.length
      } else if (outcome === 'already_compacted') result.alreadyCompacted++
      else if (outcome === 'streaming') result.skippedStreaming++
      else result.changedSincePlan++
      return outcome === 'compacted'
    },
    (n) => `compacted ${n} of ${steps.length} replies`,
  )
  const { backup: _none, ...report } = done
  return { ...result, ...report, longestLockMs: ctx.takeLongestLockMs() }
}

export function runDeletion(ctx: WriteContext, work: DeletionWork, options: JournalOptions): DeletionResult {
  const steps = deletionSteps(work)
  const result: DeletionResult = {
    entryId: null,
    conversations: 0,
    rowsRemoved: 0,
    rowsKept: 0,
    migrated: false,
    longestLockMs: 0,
    backup: null,
    note: null,
  }
  if (steps.length === 0) return result
  ctx.takeLongestLockMs()
  const lastStepOf = new Map(steps.map((s, i) => [s.conversation_id, i]))
  const done = journaled(
    ctx,
    { ...options, backup: options.backup ?? work.all },
    {
      operation: work.all ? 'clear' : 'delete',
      conversations: work.conversations.map((c) => c.conversation_id),
      steps,
    },
    (at, index) => {
      const removed = ctx.write(() => {
        const n = applyDeletionStep(ctx.db, at)
        markStep(ctx.db, at, 'applied', 1)
        return n
      })
      result.rowsRemoved += removed
      const conversation = steps[index]!.conversation_id
      if (lastStepOf.get(conversation) === index) {
        result.conversations++
        result.rowsKept += rowsLeft(ctx.db, conversation)
      }
      return removed > 0
    },
    (n) => `deleted ${n} of ${steps.length} parts of ${work.conversations.length} conversations`,
  )
  return { ...result, ...done, longestLockMs: ctx.takeLongestLockMs() }
}

export interface RedactionResult {
  entryId: number | null
  rowsChanged: number
  changedSincePlan: number
  migrated: boolean
  longestLockMs: number
  note: string | null
}

/** Rewrites rows in place (redaction), one conversation per transaction, recorded ahead like the rest. */
export function runReplacement(
  ctx: WriteContext,
  steps: StepSpec[],
  options: JournalOptions,
): RedactionResult {
  const result: RedactionResult = {
    entryId: null,
    rowsChanged: 0,
    changedSincePlan: 0,
    migrated: false,
    longestLockMs: 0,
    note: null,
  }
  if (steps.length === 0) return result
  ctx.takeLongestLockMs()
  const done = journaled(
    ctx,
    options,
    { operation: 'redact', conversations: [...new Set(steps.map((s) => String(s.conversation_id)))], steps },
    (at, index) => {
      const outcome = ctx.write(() => {
        const o = applyReplaceStep(ctx.db, at)
        if (o === 'replaced') markStep(ctx.db, at, 'applied', 1)
        return o
      })
      if (outcome === 'replaced') result.rowsChanged += steps[index]!.replacements?.length ?? 0
      else result.changedSincePlan++
      return outcome === 'replaced'
    },
    (n) => `redacted ${n} of ${steps.length} conversations`,
  )
  const { backup: _none, ...report } = done
  return { ...result, ...report, longestLockMs: ctx.takeLongestLockMs() }
}

/** Steps between our own WAL checkpoints (each step's commit no longer runs one). */
const CHECKPOINT_EVERY = 200

/**
 * Runs `count` steps with SQLite's automatic checkpoint off, checkpointing (PASSIVE: it never waits
 * for or blocks the chat app) between steps instead: a commit that checkpoints 1,000 pages took over
 * 100 ms, counted against the step.
 */
export function withCheckpointsBetween(
  db: Database.Database,
  count: number,
  step: (index: number) => void,
): void {
  const automatic = db.pragma('wal_autocheckpoint', { simple: true }) as number
  db.pragma('wal_autocheckpoint = 0')
  try {
    for (let i = 0; i < count; i++) {
      step(i)
      if ((i + 1) % CHECKPOINT_EVERY === 0) db.pragma('main.wal_checkpoint(PASSIVE)')
    }
  } finally {
    db.pragma(`wal_autocheckpoint = ${automatic}`)
    db.pragma('main.wal_checkpoint(PASSIVE)')
  }
}
