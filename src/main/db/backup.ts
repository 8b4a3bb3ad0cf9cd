// Full-file backups (`VACUUM INTO`), for the operations that touch everything (clear, VACUUM) and on
// request. Per-change undo does not need them: the undo journal keeps just the rows a change touches.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type Database from 'better-sqlite3'
import type { BackupInfo } from '../../shared/api'
import { DbError } from './errors'
import { fileKey } from './journal'
import { assertNotTheDatabase } from './output-path'

export const KEEP_BACKUPS = 5

const backupDir = (dataDir: string) => join(dataDir, 'backups')

/**
 * `VACUUM INTO` copies the database as one read transaction, however busy the writer is (a backup
 * restarts on every write). It is written under a `.partial` name and renamed when whole, so a
 * process killed mid-copy leaves nothing that looks like a backup; the next backup removes it.
 */
export function writeBackup(
  db: Database.Database,
  dbPath: string,
  out: string,
): { path: string; bytes: number } {
  assertNotTheDatabase(out, dbPath)
  if (existsSync(out)) throw new DbError('snapshot_failed', `${out} exists already; nothing was written.`)
  const partial = `${out}.partial`
  // A read-only opening sets query_only, which refuses VACUUM INTO although it only writes the copy.
  const queryOnly = db.pragma('query_only', { simple: true }) as number
  try {
    db.pragma('query_only = OFF')
    db.prepare('VACUUM INTO ?').run(partial)
    renameSync(partial, out)
  } catch (error) {
    rmSync(partial, { force: true })
    throw new DbError(
      'snapshot_failed',
      `Could not write a backup to ${out} (${(error as Error).message}); nothing was changed.`,
    )
  } finally {
    db.pragma(`query_only = ${queryOnly ? 'ON' : 'OFF'}`)
  }
  return { path: out, bytes: statSync(out).size }
}

/** A backup in the app's data folder, named after the file and the moment; older ones beyond `keep` go. */
export function backupToDataDir(
  db: Database.Database,
  dbPath: string,
  dataDir: string,
  label: string,
  keep = KEEP_BACKUPS,
  now = new Date(),
): { path: string; bytes: number } {
  const dir = backupDir(dataDir)
  mkdirSync(dir, { recursive: true })
  const prefix = `${fileKey(dbPath)}.`
  for (const name of readdirSync(dir))
    if (name.startsWith(prefix) && name.endsWith('.partial')) rmSync(join(dir, name), { force: true })
  const stamp = now.toISOString().replace(/[:.]/g, '-')
  const made = writeBackup(db, dbPath, join(dir, `${prefix}${stamp}.${label}.backup.db`))
  for (const old of listBackups(dataDir, dbPath).slice(Math.max(keep, 1))) rmSync(old.path, { force: true })
  return made
}

/** This file's backups in the app's data folder, newest first. */
export function listBackups(dataDir: string, dbPath: string): BackupInfo[] {
  const dir = backupDir(dataDir)
  if (!existsSync(dir)) return []
  const prefix = `${fileKey(dbPath)}.`
  return readdirSync(dir)
    .filter((name) => name.startsWith(prefix) && name.endsWith('.backup.db'))
    .map((name) => {
      const [stamp = '', label = ''] = name.slice(prefix.length).split('.')
      const path = join(dir, name)
      const created_at = stamp.replace(/^(.{10}T\d\d)-(\d\d)-(\d\d)-(\d{3})Z$/, '$1:$2:$3.$4Z')
      return { path, bytes: statSync(path).size, label, created_at }
    })
    .sort((a, b) => b.created_at.localeCompare(a.created_at))
}
