// Opening a chat history file: checks before SQLite touches it, then the schema, with typed errors.
import { accessSync, constants, existsSync, statSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import Database from 'better-sqlite3'
import { DbError, isDbError, withDbErrors } from './errors'
import { nativeBinding } from './native-binding'
import {
  applyWritePragmas,
  ensureSchema,
  inspectSchema,
  type SchemaProblem,
  type SchemaState,
} from './schema'

/** `read` never creates, migrates or writes; `write` needs an existing chat history; `create` may make one. */
export type OpenMode = 'read' | 'write' | 'create'

export interface OpenOptions {
  mode?: OpenMode
  /** How long to wait for another program's lock before giving up (SQLite busy timeout). */
  busyTimeoutMs?: number
}

export interface FileIdentity {
  dev: number
  ino: number
}

export interface OpenedDatabase {
  db: Database.Database
  path: string
  readOnly: boolean
  schema: SchemaState
  /** The file we opened; a write checks it is still the file at `path` (see RELIABILITY.md). */
  identity: FileIdentity
  /** Something the user should know about how it was opened (a read-only copy without live updates). */
  note?: string
}

// better-sqlite3 reads `file:` names as URIs only when this is set before its first connection in the
// process. The names we open are absolute paths, never `file:`, so it only makes the immutable read
// below possible.
process.env.SQLITE_USE_URI ??= '1'

export const DEFAULT_BUSY_TIMEOUT_MS = 3000

export function openDatabase(path: string, options: OpenOptions = {}): OpenedDatabase {
  const mode = options.mode ?? 'read'
  const file = resolve(path)
  checkFile(file, mode)
  try {
    return openAt(file, file, mode, options)
  } catch (error) {
    if (mode !== 'read' || !onlyImmutableReadWorks(error, file)) throw error
    return {
      ...openAt(`${pathToFileURL(file).href}?immutable=1`, file, mode, options),
      note: immutableNote(file),
    }
  }
}

/**
 * A WAL-mode file whose folder this user cannot write, without its -shm: SQLite cannot set up the
 * shared WAL index, so it cannot read the file at all. No writer can exist there either (it would
 * need the same -shm), so reading it as an immutable file is safe.
 */
function onlyImmutableReadWorks(error: unknown, file: string): boolean {
  if (!isDbError(error) || (error.code !== 'read_only' && error.code !== 'cannot_open')) return false
  // A -journal may be hot: the file is then half-written until a writer rolls it back, never read as is.
  if (existsSync(`${file}-shm`) || existsSync(`${file}-journal`)) return false
  try {
    accessSync(dirname(file), constants.W_OK)
    return false
  } catch {
    return true
  }
}

function immutableNote(file: string): string {
  const wal = existsSync(`${file}-wal`) && statSync(`${file}-wal`).size > 0
  return `read-only copy: live updates off (its folder cannot be written, so SQLite cannot share the WAL index with the chat app)${
    wal ? '; changes still in its -wal are not shown' : ''
  }.`
}

/** Opens `name` (the path, or an immutable `file:` URI of it) and checks what it holds. */
function openAt(name: string, file: string, mode: OpenMode, options: OpenOptions): OpenedDatabase {
  // SQLite can refuse already here (a missing folder for `create`, a file it may not read): typed too.
  const db = withDbErrors(
    file,
    () =>
      new Database(name, {
        readonly: mode === 'read',
        fileMustExist: mode !== 'create',
        timeout: options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS,
        nativeBinding: nativeBinding(),
      }),
  )
  try {
    const schema = withDbErrors(file, () => {
      // Files come from elsewhere: no schema-defined functions with side effects, and Python's defaults.
      db.pragma('trusted_schema = OFF')
      db.pragma('foreign_keys = OFF')
      if (mode === 'read') db.pragma('query_only = ON')
      checkSize(db, file)
      if (mode === 'read') {
        requireTable(db, file)
        return requireSchema(file, inspectSchema(db))
      }
      const found = inspectSchema(db)
      // Writing never adds our table to someone else's database, unless asked to create a history.
      if ('kind' in found && !(mode === 'create' && found.kind === 'no_chat_events'))
        throw schemaError(file, found)
      // `write` changes nothing yet: the migration runs right before the first real change (migrate).
      if (mode === 'write') return requireSchema(file, found)
      migrate(db, file)
      return requireSchema(file, inspectSchema(db))
    })
    return { db, path: file, readOnly: mode === 'read', schema, identity: fileIdentity(file) }
  } catch (error) {
    db.close()
    throw error
  }
}

/**
 * The seed's `_ensure_initialized` (table, created_at_unix and its back-fill, indexes, WAL), run right
 * before the first change to a file. True when it changed the file; a no-op on an up-to-date file.
 */
export function migrate(db: Database.Database, file: string): boolean {
  const before = JSON.stringify([inspectSchema(db), db.pragma('journal_mode', { simple: true })])
  try {
    ensureSchema(db)
  } catch (error) {
    // The seed's unique index computes request_id from every row's extra: one malformed extra fails it.
    if (/malformed JSON/i.test((error as Error).message)) {
      throw new DbError(
        'damaged',
        `${file} has rows whose extra is not valid JSON, so the seed's request_id index cannot be built: it can be read, not written. Nothing was changed.`,
      )
    }
    throw error
  }
  applyWritePragmas(db)
  return JSON.stringify([inspectSchema(db), db.pragma('journal_mode', { simple: true })]) !== before
}

export function fileIdentity(file: string): FileIdentity {
  const st = statSync(file)
  return { dev: st.dev, ino: st.ino }
}

/** Refuses to go on if the file at `path` is no longer the one we opened (renamed over or deleted). */
export function assertSameFile(opened: Pick<OpenedDatabase, 'path' | 'identity'>): void {
  let now: FileIdentity | undefined
  try {
    now = fileIdentity(opened.path)
  } catch {
    now = undefined
  }
  if (!now || now.dev !== opened.identity.dev || now.ino !== opened.identity.ino) {
    throw new DbError(
      'file_replaced',
      `${opened.path} was replaced or deleted since it was opened; nothing was changed. Reopen it.`,
    )
  }
}

/** A `chat_events` VIEW has the columns but no rowid, which paging and search need: said, not crashed on. */
function requireTable(db: Database.Database, file: string): void {
  const kind = db
    .prepare("SELECT type FROM sqlite_schema WHERE name = 'chat_events' COLLATE NOCASE")
    .pluck()
    .get()
  if (kind !== undefined && kind !== 'table')
    throw new DbError(
      'no_chat_events',
      `${file} has chat_events as a ${String(kind)}, not the chat app's table.`,
    )
}

function requireSchema(file: string, state: SchemaState | SchemaProblem): SchemaState {
  if ('kind' in state) throw schemaError(file, state)
  return state
}

function schemaError(file: string, problem: SchemaProblem): DbError {
  if (problem.kind === 'no_chat_events')
    return new DbError('no_chat_events', `${file} is an SQLite database but has no chat_events table.`)
  return new DbError(
    'missing_columns',
    `${file} has a chat_events table without the columns ${problem.columns.join(', ')}; it is not a chat history this app understands.`,
  )
}

/**
 * Checks what can be checked without SQLite. It never opens the file itself: closing any descriptor
 * of a database drops every POSIX lock this process holds on it, SQLite's included, and another
 * process may then delete the WAL under our connections (seen in tests as a corrupted file).
 */
function checkFile(file: string, mode: OpenMode): void {
  if (!existsSync(file)) {
    // better-sqlite3 refuses a missing folder itself, with its own (untyped) error.
    if (mode === 'create' && !existsSync(dirname(file)))
      throw new DbError(
        'cannot_open',
        `${file} cannot be opened: its folder ${dirname(file)} does not exist.`,
      )
    if (mode === 'create') return
    throw new DbError('not_found', `${file} does not exist.`)
  }
  const st = statSync(file)
  if (!st.isFile()) throw new DbError('not_a_file', `${file} is not a file.`)
  if (st.size === 0) {
    if (mode === 'create') return
    throw new DbError('empty_file', `${file} is empty (0 bytes): not a chat history database.`)
  }
}

/** A file shorter than its header says is truncated; with a WAL present, pages may live in the WAL. */
function checkSize(db: Database.Database, file: string): void {
  if (existsSync(`${file}-wal`)) return
  const expected =
    (db.pragma('page_count', { simple: true }) as number) *
    (db.pragma('page_size', { simple: true }) as number)
  const size = statSync(file).size
  if (size < expected) {
    throw new DbError(
      'damaged',
      `${file} is damaged: it is ${size} bytes but its header says ${expected} (truncated?).`,
    )
  }
}
