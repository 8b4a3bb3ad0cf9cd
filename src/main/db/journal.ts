// The undo journal: one SQLite file per chat history in the app's data folder, keyed by the file's
// identity (device and inode after resolving symlinks, so a link and its target share it). An
// operation's record and the image of every row it will remove or add are committed here before its
// first write to the user's file, so kill -9 anywhere leaves either nothing applied or a listed entry
// whose undo brings the rows back exactly. Each entry costs what its rows cost, not the file's size.
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, realpathSync, renameSync, statSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import Database from 'better-sqlite3'
import type { JournalEntry } from '../../shared/api'
import { DbError } from './errors'

/** The schema name the journal is attached under, on the chat history's own connection. */
export const UNDO = 'undo'

export const RETENTION = { entries: 50, days: 30 }
export type Retention = typeof RETENTION

/** Row images keep every value with its own storage class: columns without a declared type. */
const TABLES = `
CREATE TABLE IF NOT EXISTS ${UNDO}.entries (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  operation TEXT NOT NULL,
  source TEXT NOT NULL,
  created_at TEXT NOT NULL,
  state TEXT NOT NULL,
  conversations TEXT NOT NULL,
  rows_removed INTEGER NOT NULL DEFAULT 0,
  rows_added INTEGER NOT NULL DEFAULT 0,
  backup TEXT,
  migrated INTEGER NOT NULL DEFAULT 0,
  undone_at TEXT
);
CREATE TABLE IF NOT EXISTS ${UNDO}.steps (
  entry_id INTEGER NOT NULL,
  step INTEGER NOT NULL,
  kind TEXT NOT NULL,
  conversation_id,
  user_request_id,
  applied INTEGER NOT NULL DEFAULT 0,
  undone INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (entry_id, step)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS ${UNDO}.images (
  entry_id INTEGER NOT NULL,
  step INTEGER NOT NULL,
  change TEXT NOT NULL,
  rowid_was INTEGER,
  id, conversation_id, seq, schema_version, type, role, content, tool_calls, provider, model,
  stop_reason, created_at, created_at_unix, extra, raw
);
CREATE INDEX IF NOT EXISTS ${UNDO}.images_of_step ON images (entry_id, step, change);
`

/**
 * A name for the file's own things in the app's data folder: its name (for people) and a hash of its
 * device and inode after resolving symlinks (so a link and its target share them, two files never do).
 */
export function fileKey(dbPath: string): string {
  const real = realpathSync(dbPath)
  const st = statSync(real)
  return `${basename(real)}-${createHash('sha256').update(`${st.dev}:${st.ino}`).digest('hex').slice(0, 16)}`
}

/** Where the journal of the chat history at `dbPath` lives. */
export function journalPath(dataDir: string, dbPath: string): string {
  return join(dataDir, 'journal', `${fileKey(dbPath)}.journal.db`)
}

/**
 * Attaches the journal at `path` to `db` as `undo`, creating it if needed. A journal SQLite cannot
 * read is moved aside (kept, named `.damaged-<time>`) and a new one started: one damaged journal
 * never blocks a change. Returns a sentence about that, or null.
 */
export function attachJournal(db: Database.Database, path: string): string | null {
  const fresh = !existsSync(path)
  try {
    mkdirSync(dirname(path), { recursive: true })
    attach(db, path, fresh)
    return null
  } catch (error) {
    if (db.prepare('SELECT 1 FROM pragma_database_list WHERE name = ?').get(UNDO))
      db.prepare(`DETACH DATABASE ${UNDO}`).run()
    // Without a journal nothing may change: said in one line, with the reason.
    if (!isUnreadable(error))
      throw new DbError(
        'cannot_open',
        `The undo journal cannot be kept at ${path} (${(error as Error).message}); nothing was changed.`,
      )
    const aside = `${path}.damaged-${new Date().toISOString().replace(/[:.]/g, '-')}`
    renameSync(path, aside)
    for (const side of ['-wal', '-shm']) if (existsSync(path + side)) renameSync(path + side, aside + side)
    attach(db, path, true)
    return `The undo journal could not be read; it was kept as ${aside} and a new one started.`
  }
}

function attach(db: Database.Database, path: string, fresh: boolean): void {
  // A history opened with fileMustExist cannot create files through ATTACH: make it first.
  if (fresh) new Database(path).close()
  db.prepare(`ATTACH DATABASE ? AS ${UNDO}`).run(path)
  prepareJournal(db, fresh)
}

function prepareJournal(db: Database.Database, fresh: boolean): void {
  // Space freed by pruning goes back to the disk bit by bit instead of staying in the file.
  if (fresh) db.pragma(`${UNDO}.auto_vacuum = INCREMENTAL`)
  db.prepare(`SELECT count(*) FROM ${UNDO}.sqlite_master`).get()
  db.pragma(`${UNDO}.journal_mode = WAL`)
  db.pragma(`${UNDO}.synchronous = NORMAL`)
  db.exec(TABLES)
}

const isUnreadable = (error: unknown) =>
  /^SQLITE_(NOTADB|CORRUPT)/.test(String((error as { code?: unknown }).code ?? ''))

/**
 * The journal of one chat history on a connection of its own, for listing and pruning when the
 * history itself is open read-only (or not at all).
 */
export function openJournal(path: string): { db: Database.Database; note: string | null } {
  const db = new Database(':memory:')
  try {
    return { db, note: attachJournal(db, path) }
  } catch (error) {
    db.close()
    throw new DbError('cannot_open', `The undo journal ${path} cannot be used: ${(error as Error).message}`)
  }
}

interface EntryRow {
  id: number
  operation: string
  created_at: string
  state: string
  conversations: string
  rows_removed: number
  rows_added: number
  backup: string | null
  steps: number
  applied: number
}

const STATES = new Set(['applied', 'stopped', 'undone', 'partly_undone', 'shredded'])

/** Entries newest first. One whose record cannot be read is listed as damaged, never fatal. */
export function listEntries(db: Database.Database): JournalEntry[] {
  const rows = db
    .prepare<[], EntryRow>(
      `SELECT e.id, e.operation, e.created_at, e.state, e.conversations, e.rows_removed, e.rows_added, e.backup,
         (SELECT count(*) FROM ${UNDO}.steps s WHERE s.entry_id = e.id) AS steps,
         (SELECT count(*) FROM ${UNDO}.steps s WHERE s.entry_id = e.id AND s.applied = 1) AS applied
       FROM ${UNDO}.entries e ORDER BY e.id DESC`,
    )
    .all()
  return rows.map((row) => {
    let conversations: string[] | null = null
    try {
      const parsed: unknown = JSON.parse(row.conversations)
      if (Array.isArray(parsed)) conversations = parsed.map(String)
    } catch {
      conversations = null
    }
    const state = conversations === null ? 'damaged' : row.state === 'applying' ? 'interrupted' : row.state
    return {
      id: row.id,
      operation: String(row.operation),
      created_at: String(row.created_at),
      state: STATES.has(state) || state === 'interrupted' ? state : 'damaged',
      conversations: (conversations ?? []).slice(0, 20),
      conversationCount: conversations?.length ?? 0,
      rowsRemoved: Number(row.rows_removed) || 0,
      rowsAdded: Number(row.rows_added) || 0,
      stepsApplied: row.applied,
      steps: row.steps,
      backup: row.backup,
    } as JournalEntry
  })
}

/**
 * Keeps entries younger than `days` and at most `entries` of them, never `keepId` (the change just
 * made, even with a retention of 0). Freed pages go back to the disk.
 */
export function pruneEntries(
  db: Database.Database,
  retention: Retention,
  keepId: number | null,
  now = new Date(),
): number {
  const cutoff = new Date(now.getTime() - retention.days * 86_400_000).toISOString()
  const old = db
    .prepare<[{ cutoff: string; entries: number; keep: number }], number>(
      `SELECT id FROM ${UNDO}.entries WHERE id IS NOT @keep AND (created_at < @cutoff
         OR id NOT IN (SELECT id FROM ${UNDO}.entries ORDER BY id DESC LIMIT @entries))`,
    )
    .pluck()
    .all({ cutoff, entries: retention.entries, keep: keepId ?? -1 })
  if (old.length === 0) return 0
  db.transaction(() => {
    for (const id of old) {
      db.prepare(`DELETE FROM ${UNDO}.images WHERE entry_id = ?`).run(id)
      db.prepare(`DELETE FROM ${UNDO}.steps WHERE entry_id = ?`).run(id)
      db.prepare(`DELETE FROM ${UNDO}.entries WHERE id = ?`).run(id)
    }
  })()
  db.pragma(`${UNDO}.incremental_vacuum`)
  return old.length
}
