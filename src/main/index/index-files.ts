// The index files in the app's data folder (derived `*.derived.db`, search `*.search.db`): their size,
// deleting one on request (it is rebuilt on demand), and removing, after a while, those whose history
// no longer exists or was replaced by another file.
import { readdirSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { nativeBinding } from '../db/native-binding'
import { fileIdentity } from '../db/open-database'
import { searchIndexPath } from '../search/search-index'
import { derivedFileName } from './derived-schema'
import { indexBytes } from './index-wal'

/** Indexes of files gone are kept this long first (a file on a drive not mounted comes back). */
export const PRUNE_AFTER_MS = 30 * 24 * 3600 * 1000

const removeIndexFile = (path: string): void => {
  for (const side of ['', '-wal', '-shm']) rmSync(path + side, { force: true })
}

const isFile = (path: string): boolean => {
  try {
    return statSync(path).isFile()
  } catch {
    return false
  }
}

/** Deletes the index file at the path `where` gives for `source`; true when there was one. */
function deleteIndexOf(source: string, where: (source: string) => string): boolean {
  let path: string
  try {
    path = where(source)
  } catch {
    return false // the history is gone: so is what its index was keyed by (pruned later)
  }
  const existed = isFile(path)
  removeIndexFile(path)
  return existed
}

/** Deletes the derived index of `source` (for "delete index"); true when there was one. */
export function deleteDerivedIndex(source: string, dir: string): boolean {
  return deleteIndexOf(source, (s) => join(dir, derivedFileName(s, fileIdentity(s))))
}

/** Deletes the search index of `source` (close it first); true when there was one. */
export function deleteSearchIndex(source: string, dir: string): boolean {
  return deleteIndexOf(source, (s) => searchIndexPath(s, dir))
}

/** The search index's size on disk (its file and -wal), 0 when it has none yet; never opens it. */
export function searchIndexBytes(source: string, dir: string): number {
  try {
    return indexBytes(searchIndexPath(source, dir))
  } catch {
    return 0 // the history is gone: so is what its index was keyed by
  }
}

/** Whether the history an index was built from is still the file at its path. */
function sourceIsThere(indexPath: string): boolean {
  const db = new Database(indexPath, { readonly: true, nativeBinding: nativeBinding() })
  try {
    const row = db.prepare('SELECT path, dev, ino FROM source').get() as
      { path: string; dev: string; ino: string } | undefined
    if (!row) return true // an index from before the source was recorded: left alone
    const now = fileIdentity(row.path)
    return String(now.dev) === row.dev && String(now.ino) === row.ino
  } catch (error) {
    // The history is gone (ENOENT); anything else (a locked or damaged index) is left alone.
    return (error as { code?: string }).code !== 'ENOENT'
  } finally {
    db.close()
  }
}

/**
 * Removes derived indexes not used for `olderThanMs` whose history is gone or is another file now.
 * Returns the paths removed. Only `*.derived.db` files in `dir` are ever looked at.
 */
export function pruneDerivedIndexes(dir: string, olderThanMs = PRUNE_AFTER_MS, now = Date.now()): string[] {
  return pruneIndexes(dir, '.derived.db', olderThanMs, now)
}

/** The same for search indexes (`*.search.db`); one made before it recorded its history is kept. */
export function pruneSearchIndexes(dir: string, olderThanMs = PRUNE_AFTER_MS, now = Date.now()): string[] {
  return pruneIndexes(dir, '.search.db', olderThanMs, now)
}

function pruneIndexes(dir: string, suffix: string, olderThanMs: number, now: number): string[] {
  let names: string[]
  try {
    names = readdirSync(dir).filter((n) => n.endsWith(suffix))
  } catch {
    return []
  }
  const removed: string[] = []
  for (const name of names) {
    const path = join(dir, name)
    try {
      if (now - statSync(path).mtimeMs < olderThanMs || sourceIsThere(path)) continue
    } catch {
      continue
    }
    removeIndexFile(path)
    removed.push(path)
  }
  return removed
}
