// Files we write on request (export -o, backup OUT) must never be the database or one of its side
// files: opening one of them for writing truncates the user's history.
import { existsSync, realpathSync, statSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import { DbError } from './errors'

export const SIDE_FILES = ['', '-wal', '-shm', '-journal'] as const

/** The path with its folder's symlinks resolved (the file itself may not exist yet). */
function realish(path: string): string {
  const full = resolve(path)
  if (existsSync(full)) return realpathSync(full)
  const dir = dirname(full)
  return existsSync(dir) ? join(realpathSync(dir), basename(full)) : full
}

/**
 * Refuses `out` when it is the database at `dbPath` or one of its side files, by name (after resolving
 * symlinks: a side file may not exist yet) and by device and inode (a hard link). Checked before
 * anything is opened for writing.
 */
export function assertNotTheDatabase(out: string, dbPath: string): void {
  const target = realish(out)
  const db = realish(dbPath)
  const outStat = existsSync(target) ? statSync(target) : undefined
  for (const suffix of SIDE_FILES) {
    const side = db + suffix
    const sameName = target === side
    const sameFile =
      outStat !== undefined &&
      existsSync(side) &&
      statSync(side).ino === outStat.ino &&
      statSync(side).dev === outStat.dev
    if (sameName || sameFile)
      throw new DbError(
        'not_a_file',
        `${out} is ${suffix ? `the database's ${suffix.slice(1)} file` : 'the database itself'}; choose another output file. Nothing was written.`,
      )
  }
}
