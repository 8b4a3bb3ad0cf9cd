// A consistent copy of a database before destructive work, in the app's own data folder.
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs'
import { basename, join } from 'node:path'
import type Database from 'better-sqlite3'
import { DbError } from './errors'

export interface Snapshot {
  path: string
  bytes: number
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
  const path = join(dir, `${basename(sourcePath)}.${stamp}.${operation}.snapshot.db`)
  // Only a file this call made is ever removed.
  if (existsSync(path))
    throw new DbError('snapshot_failed', `A snapshot named ${path} exists already; nothing was changed.`)
  try {
    db.prepare('VACUUM INTO ?').run(path)
  } catch (error) {
    rmSync(path, { force: true })
    throw new DbError(
      'snapshot_failed',
      `Could not take a snapshot before changing the file (${(error as Error).message}); nothing was changed.`,
    )
  }
  return { path, bytes: statSync(path).size }
}
