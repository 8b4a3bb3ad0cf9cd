// Expected failures of opening and using a chat history file, each with a message a user can act on.
import { accessSync, constants, existsSync, statSync } from 'node:fs'
import { dirname } from 'node:path'

export type DbErrorCode =
  | 'not_found'
  | 'not_a_file'
  | 'empty_file'
  | 'not_a_database'
  | 'damaged'
  | 'no_chat_events'
  | 'missing_columns'
  | 'locked'
  | 'read_only'
  | 'file_replaced'
  | 'cannot_open'
  | 'snapshot_failed'
  | 'disk_full'

export class DbError extends Error {
  override readonly name = 'DbError'
  constructor(
    readonly code: DbErrorCode,
    message: string,
  ) {
    super(message)
  }
}

export function isDbError(error: unknown): error is DbError {
  return error instanceof DbError
}

/**
 * Read-only subcodes that happen to readers too and have a cause the user can act on (the others, such
 * as a folder the user may not write, keep the general "cannot be written" message).
 */
const READ_ONLY_REASONS: Record<string, string> = {
  SQLITE_READONLY_ROLLBACK:
    'a crashed writer left a hot journal (-journal) that only a program allowed to write here can roll back (open it once with the chat app)',
  SQLITE_READONLY_RECOVERY:
    'its WAL must be recovered by a program allowed to write here (open it once with the chat app)',
  SQLITE_READONLY_DBMOVED: 'it was moved or deleted while open',
}

/** Maps an SQLite error to a typed one; anything unexpected is rethrown unchanged by the caller. */
export function fromSqliteError(error: unknown, path: string): DbError | undefined {
  const code = (error as { code?: unknown } | null)?.code
  if (typeof code !== 'string') return undefined
  if (code === 'SQLITE_NOTADB') return new DbError('not_a_database', `${path} is not an SQLite database.`)
  if (code.startsWith('SQLITE_CORRUPT'))
    return new DbError('damaged', `${path} is damaged (SQLite reports a malformed database image).`)
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
    return new DbError(
      'locked',
      `${path} is busy: another program (the chat app?) is writing to it. Nothing was changed; try again.`,
    )
  if (code === 'SQLITE_FULL')
    return new DbError(
      'disk_full',
      `The disk is full (or ${path} reached its size limit); nothing was changed.`,
    )
  if (code in READ_ONLY_REASONS)
    return new DbError('read_only', `${path} cannot be opened here: ${READ_ONLY_REASONS[code]}.`)
  if (code === 'SQLITE_READONLY' || code.startsWith('SQLITE_READONLY_'))
    return new DbError('read_only', `${path} cannot be written (read-only file, folder or mount).`)
  if (code.startsWith('SQLITE_CANTOPEN'))
    return new DbError('cannot_open', `${path} cannot be opened: ${cantOpenReason(path)}.`)
  return undefined
}

/** Why SQLite could not open a file, found with stat and access (never by opening the file: see RELIABILITY.md). */
function cantOpenReason(path: string): string {
  const dir = dirname(path)
  if (!existsSync(dir)) return `its folder ${dir} does not exist`
  if (!statSync(dir).isDirectory()) return `${dir} is not a folder`
  if (existsSync(path)) {
    try {
      accessSync(path, constants.R_OK)
    } catch {
      return 'permission denied (this user may not read it)'
    }
  }
  try {
    accessSync(dir, constants.W_OK)
  } catch {
    return `its folder cannot be written, and SQLite must make its side files (-wal, -shm) there`
  }
  return 'SQLite gave no reason'
}

/** Runs `work`, turning SQLite's expected failures into DbError. */
export function withDbErrors<T>(path: string, work: () => T): T {
  try {
    return work()
  } catch (error) {
    throw fromSqliteError(error, path) ?? error
  }
}
