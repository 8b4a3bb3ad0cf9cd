// What to look for after deleting rows for good: a distinctive piece of each deleted row's text.
import type Database from 'better-sqlite3'
import type { DeletionWork } from '../db/deletion'

/** At most this many pieces: each is searched for in every byte of the file and the data folder. */
const MAX_PROBES = 50

/** Up to 64 characters from the middle of deleted rows' longer texts (short ones are not distinctive). */
export function deletedTextProbes(db: Database.Database, work: DeletionWork): string[] {
  const rowids = work.conversations.flatMap((c) => c.planned.map(([rowid]) => rowid))
  const probes = new Set<string>()
  const read = db.prepare<[number], { content: unknown }>('SELECT content FROM chat_events WHERE rowid = ?')
  // Spread over the deleted rows, not only the first conversation's.
  const stride = Math.max(1, Math.floor(rowids.length / (MAX_PROBES * 4)))
  for (let i = 0; i < rowids.length && probes.size < MAX_PROBES; i += stride) {
    const content = read.get(rowids[i]!)?.content
    if (typeof content !== 'string' || content.length < 24) continue
    const middle = Math.floor(content.length / 2)
    const piece = content.slice(Math.max(0, middle - 32), middle + 32)
    // ASCII letters and digits only: the same bytes wherever JSON or SQLite keep them.
    if (/^[\w .,-]{24,}$/.test(piece)) probes.add(piece)
  }
  return [...probes]
}
