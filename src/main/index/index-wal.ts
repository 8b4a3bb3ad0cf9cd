// The -wal of the app's own indexes. Building or catching up leaves what went through it there (up
// to 4 MB, its autocheckpoint), which is no part of the index: a small history's index showed as ten
// times the history. Once current it is emptied into the index, when it is larger than the index
// itself or than 1 MB: a checkpoint after every small catch-up (a live chat app writes often) would
// cost more than it frees.
import { statSync } from 'node:fs'
import type Database from 'better-sqlite3'

const WAL_KEPT = 1_000_000

/** A file's size; 0 when it is not there. */
export function sizeOf(path: string): number {
  try {
    return statSync(path).size
  } catch {
    return 0
  }
}

/** An index's size on disk: its file and its -wal (0 when it has none yet). */
export function indexBytes(path: string): number {
  return sizeOf(path) + sizeOf(`${path}-wal`)
}

/** Empties the -wal of the index at `path` (open as `db`) into it, when it is worth it (see above). */
export function emptyLargeWal(db: Database.Database, path: string): void {
  if (sizeOf(`${path}-wal`) > Math.min(WAL_KEPT, sizeOf(path))) db.pragma('wal_checkpoint(TRUNCATE)')
}
