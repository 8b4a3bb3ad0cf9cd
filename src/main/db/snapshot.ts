// Snapshots before destructive work, in the app's own data folder, each with a record of what the
// operation did, so it can be undone without touching what the chat app wrote since.
import { createHash } from 'node:crypto'
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { basename, join } from 'node:path'
import type Database from 'better-sqlite3'
import type { SnapshotInfo } from '../../shared/api'
import { DbError } from './errors'

export interface Snapshot {
  path: string
  bytes: number
}

/** What an operation changed, kept beside its snapshot. */
export interface UndoRecord {
  operation: string
  source: string
  created_at: string
  /** Conversations it touched: undo puts back their rows from the snapshot. */
  conversations: string[]
  /** Rows it added (compacted replies): undo removes them. */
  createdIds: string[]
}

export const KEEP_SNAPSHOTS = 10

/** Snapshot names start with the file's name and a hash of its path: two chat_history.db never mix. */
function prefixOf(sourcePath: string): string {
  return `${basename(sourcePath)}-${createHash('sha256').update(sourcePath).digest('hex').slice(0, 8)}.`
}

/**
 * `VACUUM INTO` copies the database as one read transaction, however busy the writer is (a backup
 * restarts on every write). A failure (disk full) leaves no partial file, and nothing was changed.
 */
export function takeSnapshot(
  db: Database.Database,
  sourcePath: string,
  dir: string,
  operation: string,
  now = new Date(),
): Snapshot {
  mkdirSync(dir, { recursive: true })
  const stamp = now.toISOString().replace(/[:.]/g, '-')
  const path = join(dir, `${prefixOf(sourcePath)}${stamp}.${operation}.snapshot.db`)
  if (existsSync(path))
    throw new DbError('snapshot_failed', `A snapshot named ${path} exists already; nothing was changed.`)
  // Written under a .partial name and renamed when whole: a process killed mid-copy leaves no file that
  // looks like a snapshot, and the next snapshot of this file removes what it left.
  for (const name of readdirSync(dir)) {
    if (name.startsWith(prefixOf(sourcePath)) && name.endsWith('.partial'))
      rmSync(join(dir, name), { force: true })
  }
  const partial = `${path}.partial`
  try {
    db.prepare('VACUUM INTO ?').run(partial)
    renameSync(partial, path)
  } catch (error) {
    rmSync(partial, { force: true })
    throw new DbError(
      'snapshot_failed',
      `Could not take a snapshot before changing the file (${(error as Error).message}); nothing was changed.`,
    )
  }
  return { path, bytes: statSync(path).size }
}

export function writeUndoRecord(snapshot: Snapshot, record: UndoRecord): void {
  writeFileSync(`${snapshot.path}.json`, JSON.stringify(record, null, 2))
}

export function readUndoRecord(snapshotPath: string): UndoRecord {
  try {
    return JSON.parse(readFileSync(`${snapshotPath}.json`, 'utf8')) as UndoRecord
  } catch {
    throw new DbError(
      'not_found',
      `${snapshotPath} has no record of what its operation did; it cannot be undone.`,
    )
  }
}

/** This file's snapshots, newest first. */
export function listSnapshots(dir: string, sourcePath: string): SnapshotInfo[] {
  if (!existsSync(dir)) return []
  const prefix = prefixOf(sourcePath)
  return readdirSync(dir)
    .filter(
      (name) =>
        name.startsWith(prefix) && name.endsWith('.snapshot.db') && existsSync(join(dir, `${name}.json`)),
    )
    .map((name) => {
      const path = join(dir, name)
      const record = readUndoRecord(path)
      return {
        path,
        bytes: statSync(path).size,
        operation: record.operation,
        created_at: record.created_at,
        conversations: record.conversations.length,
      }
    })
    .sort((a, b) => b.created_at.localeCompare(a.created_at))
}

/** Keeps the newest `keep` snapshots of the file. */
export function pruneSnapshots(dir: string, sourcePath: string, keep = KEEP_SNAPSHOTS): void {
  for (const old of listSnapshots(dir, sourcePath).slice(keep)) {
    rmSync(old.path, { force: true })
    rmSync(`${old.path}.json`, { force: true })
  }
}
