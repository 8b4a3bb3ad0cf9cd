// Opening a chat history file: checks before SQLite touches it, then the schema, with typed errors.
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs'
import { resolve } from 'node:path'
import Database from 'better-sqlite3'
import { DbError, withDbErrors } from './errors'
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
}

export const DEFAULT_BUSY_TIMEOUT_MS = 3000
const SQLITE_MAGIC = 'SQLite format 3\0'

export function openDatabase(path: string, options: OpenOptions = {}): OpenedDatabase {
  const mode = options.mode ?? 'read'
  const file = resolve(path)
  checkFile(file, mode)
  const db = new Database(file, {
    readonly: mode === 'read',
    fileMustExist: mode !== 'create',
    timeout: options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS,
  })
  try {
    const schema = withDbErrors(file, () => {
      // Files come from elsewhere: no schema-defined functions with side effects, and Python's defaults.
      db.pragma('trusted_schema = OFF')
      db.pragma('foreign_keys = OFF')
      if (mode === 'read') db.pragma('query_only = ON')
      if (mode === 'read') return requireSchema(file, inspectSchema(db))
      const found = inspectSchema(db)
      // Writing never adds our table to someone else's database, unless asked to create a history.
      if ('kind' in found && !(mode === 'create' && found.kind === 'no_chat_events'))
        throw schemaError(file, found)
      applyWritePragmas(db)
      ensureSchema(db)
      return requireSchema(file, inspectSchema(db))
    })
    return { db, path: file, readOnly: mode === 'read', schema, identity: fileIdentity(file) }
  } catch (error) {
    db.close()
    throw error
  }
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

/** Checks what can be checked without SQLite, so a bad file is refused before SQLite reads it. */
function checkFile(file: string, mode: OpenMode): void {
  if (!existsSync(file)) {
    if (mode === 'create') return
    throw new DbError('not_found', `${file} does not exist.`)
  }
  const st = statSync(file)
  if (!st.isFile()) throw new DbError('not_a_file', `${file} is not a file.`)
  if (st.size === 0) {
    if (mode === 'create') return
    throw new DbError('empty_file', `${file} is empty (0 bytes): not a chat history database.`)
  }
  const header = readHeader(file)
  if (header.toString('latin1', 0, 16) !== SQLITE_MAGIC)
    throw new DbError('not_a_database', `${file} is not an SQLite database.`)
  const expected = expectedSize(header)
  // With a WAL present a checkpoint may be extending the file right now; only judge a quiet file.
  if (expected !== undefined && st.size < expected && !existsSync(`${file}-wal`)) {
    throw new DbError(
      'damaged',
      `${file} is damaged: it is ${st.size} bytes but its header says ${expected} (truncated?).`,
    )
  }
}

function readHeader(file: string): Buffer {
  const header = Buffer.alloc(100)
  const fd = openSync(file, 'r')
  try {
    readSync(fd, header, 0, 100, 0)
  } finally {
    closeSync(fd)
  }
  return header
}

/** The size the header promises, when its page count is trustworthy (see the SQLite file format). */
function expectedSize(header: Buffer): number | undefined {
  const rawPageSize = header.readUInt16BE(16)
  const pageSize = rawPageSize === 1 ? 65536 : rawPageSize
  const pageCount = header.readUInt32BE(28)
  const countIsValid = header.readUInt32BE(24) === header.readUInt32BE(92)
  return countIsValid && pageCount > 0 ? pageSize * pageCount : undefined
}
