// After secrets are redacted (or rows deleted) with secure_delete on: no copy left that this app can
// reach. The rows' images leave the undo journal, the journal and the file's WAL are checkpointed and
// truncated, cached indexes holding the text are removed (they rebuild on demand), and the bytes of the
// file, its -wal and every file in the app's data folder are searched for what was removed.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, rmSync } from 'node:fs'
import { join, sep } from 'node:path'
import type Database from 'better-sqlite3'
import type { ShredReport } from '../../shared/api'
import { listBackups } from '../db/backup'
import { UNDO } from '../db/journal'
import { mask, redactionMark, storedForms } from './rules'

export interface ShredOptions {
  /** The change whose row images go (it can no longer be undone). */
  entryId: number | null
  /** Secret values to take out of every other journal entry and to look for afterwards. */
  secrets: { value: string; rule: string }[]
  /** Removed rows (by id) whose images go from every journal entry. */
  removedIds?: string[]
  /** Text that must not be found anywhere afterwards (pieces of deleted rows). */
  probes?: string[]
  /** Delete full backups that still hold what was removed. */
  deleteBackups?: boolean
  /**
   * Rewrite the file (VACUUM) when it still holds a copy: in free pages or page slack left by earlier
   * changes made without secure_delete. Nobody else can write while it runs.
   */
  vacuum?: boolean
}

const CELLS = ['content', 'tool_calls', 'extra', 'raw'] as const

export function shred(
  db: Database.Database,
  dbPath: string,
  dataDir: string,
  options: ShredOptions,
): ShredReport {
  const purged = purgeJournal(db, options)
  const [wal] = db.pragma('main.wal_checkpoint(TRUNCATE)') as {
    busy: number
    log: number
    checkpointed: number
  }[]
  const walCheckpointed = !!wal && wal.busy === 0 && wal.log === wal.checkpointed
  const needles = [
    ...options.secrets.flatMap((s) => storedForms(s.value).map((form) => ({ form, what: mask(s.value) }))),
    ...(options.probes ?? []).map((p) => ({ form: p, what: `deleted text "${mask(p)}"` })),
  ]
  const files = [dbPath, `${dbPath}-wal`, ...filesUnder(dataDir)].filter((f) => existsSync(f))
  let found = findInFiles(
    files,
    needles.map((n) => n.form),
  )
  let vacuumed = false
  if (options.vacuum && (found.get(dbPath)?.length ?? 0) > 0) {
    db.exec('VACUUM main')
    db.pragma('main.wal_checkpoint(TRUNCATE)')
    vacuumed = true
    found = findInFiles(
      files,
      needles.map((n) => n.form),
    )
  }
  const removedCaches: string[] = []
  const removedBackups: string[] = []
  const backups = new Set(listBackups(dataDir, dbPath).map((b) => b.path))
  for (const [path, hits] of found) {
    if (hits.length === 0) continue
    // Search indexes and other caches are rebuilt on demand; backups go only when asked.
    const cache = [join(dataDir, 'search'), join(dataDir, 'index')].some((d) => path.startsWith(d + sep))
    if (cache || (options.deleteBackups && backups.has(path))) {
      for (const side of ['', '-wal', '-shm']) rmSync(path.replace(/-wal$/, '') + side, { force: true })
      ;(cache ? removedCaches : removedBackups).push(path)
      found.set(path, [])
    }
  }
  const remaining = [...found].flatMap(([path, hits]) =>
    hits.length > 0 && existsSync(path) ? [{ path, what: needles[hits[0]!]!.what }] : [],
  )
  return {
    clean: remaining.length === 0,
    remaining,
    journalImagesPurged: purged,
    walCheckpointed,
    walNote: walCheckpointed
      ? null
      : 'Another program (the chat app?) has the file open: the last copy in its -wal file goes once it closes it. Run the same command again then.',
    removedCaches,
    removedBackups,
    vacuumed,
    vacuumNote:
      !vacuumed && remaining.some((r) => r.path === dbPath)
        ? 'The file still holds a copy in space freed by an earlier change: rewriting it removes that (chv vacuum, or --vacuum; stop the chat app first: nobody else can write while it runs).'
        : null,
  }
}

/** Takes the rows' images out of the journal and the secrets out of every other image, then wipes its free pages. */
function purgeJournal(db: Database.Database, options: ShredOptions): number {
  let purged = 0
  db.pragma(`${UNDO}.secure_delete = ON`)
  db.transaction(() => {
    if (options.entryId !== null) {
      purged += db.prepare(`DELETE FROM ${UNDO}.images WHERE entry_id = ?`).run(options.entryId).changes
      db.prepare(`UPDATE ${UNDO}.entries SET state = 'shredded' WHERE id = ?`).run(options.entryId)
      db.prepare(`UPDATE ${UNDO}.steps SET undone = 1 WHERE entry_id = ?`).run(options.entryId)
    }
    if (options.removedIds?.length)
      purged += db
        .prepare(`DELETE FROM ${UNDO}.images WHERE id IN (SELECT value FROM json_each(?))`)
        .run(JSON.stringify(options.removedIds)).changes
    for (const { value, rule } of options.secrets)
      for (const form of storedForms(value))
        for (const cell of CELLS)
          purged += db
            .prepare(
              `UPDATE ${UNDO}.images SET ${cell} = replace(${cell}, @form, @mark) WHERE instr(${cell}, @form) > 0`,
            )
            .run({ form, mark: redactionMark(rule) }).changes
  })()
  db.exec(`VACUUM ${UNDO}`)
  db.pragma(`${UNDO}.wal_checkpoint(TRUNCATE)`)
  return purged
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
}

/**
 * Which needles each file's bytes hold. Read by a child process: closing a descriptor of a database in
 * this process would drop every SQLite lock this process holds on it (see RELIABILITY.md).
 */
function findInFiles(files: string[], needles: string[]): Map<string, number[]> {
  const child = spawnSync(process.execPath, ['-e', FIND_IN_FILES], {
    input: JSON.stringify({ files, needles }),
    encoding: 'utf8',
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    maxBuffer: 64 * 1024 * 1024,
  })
  if (child.status !== 0)
    throw new Error(
      `the files could not be searched for what was removed (${child.stderr.trim() || child.error?.message})`,
    )
  return new Map(Object.entries(JSON.parse(child.stdout) as Record<string, number[]>))
}

/**
 * The child's program: each file read in 4 MiB pieces that overlap by the longest needle. Needles are
 * grouped by their first 4 bytes and each group's prefix is searched once per piece (100 tokens that
 * all start "ghp_" cost one pass over a 1 GB file, not 100).
 */
const FIND_IN_FILES = `
const fs = require('node:fs')
const { files, needles } = JSON.parse(fs.readFileSync(0, 'utf8'))
const bufs = needles.map((n) => Buffer.from(n, 'utf8'))
const groups = new Map()
bufs.forEach((b, i) => {
  if (b.length === 0) return
  const key = b.subarray(0, Math.min(4, b.length)).toString('latin1')
  if (!groups.has(key)) groups.set(key, { prefix: b.subarray(0, Math.min(4, b.length)), members: [] })
  groups.get(key).members.push(i)
})
const overlap = Math.max(0, ...bufs.map((b) => b.length))
const out = {}
for (const path of files) {
  const hits = new Set()
  let fd
  try { fd = fs.openSync(path, 'r') } catch { out[path] = []; continue }
  const piece = Buffer.alloc(4 * 1024 * 1024 + overlap)
  for (let at = 0; ; at += 4 * 1024 * 1024) {
    const read = fs.readSync(fd, piece, 0, piece.length, at)
    if (read <= 0) break
    const view = piece.subarray(0, read)
    for (const { prefix, members } of groups.values()) {
      let from = view.indexOf(prefix)
      while (from !== -1) {
        for (const i of members) {
          const b = bufs[i]
          if (!hits.has(i) && view.length - from >= b.length && view.compare(b, 0, b.length, from, from + b.length) === 0) hits.add(i)
        }
        from = view.indexOf(prefix, from + 1)
      }
    }
    if (read < piece.length) break
  }
  fs.closeSync(fd)
  out[path] = [...hits]
}
process.stdout.write(JSON.stringify(out))
`
