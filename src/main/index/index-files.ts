// The derived index files in the app's data folder: deleting one on request (it is rebuilt on demand),
// and removing, after a while, those whose history no longer exists or was replaced by another file.
import { readdirSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { nativeBinding } from '../db/native-binding'
import { fileIdentity } from '../db/open-database'
import { derivedFileName } from './derived-schema'

/** Indexes of files gone are kept this long first (a file on a drive not mounted comes back). */
export const PRUNE_AFTER_MS = 30 * 24 * 3600 * 1000

const removeIndexFile = (path: string): void => {
  for (const side of ['', '-wal', '-shm']) rmSync(path + side, { force: true })
}

/** Deletes the derived index of `source` (for "delete index"); true when there was one. */
export function deleteDerivedIndex(source: string, dir: string): boolean {
  let path: string
  try {
    path = join(dir, derivedFileName(source, fileIdentity(source)))
  } catch {
    return false
  }
  const existed = (() => {
    try {
      return statSync(path).isFile()
    } catch {
      return false
    }
  })()
  removeIndexFile(path)
  return existed
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
  let names: string[]
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.derived.db'))
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
