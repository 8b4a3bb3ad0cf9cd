// chv compact / rm / clear / snapshots / restore / backup / vacuum: the app's cleanup handlers, from a
// terminal. Every change is recorded in the file's undo journal (the app's data folder) first.
import { join, resolve } from 'node:path'
import type { CompactionPlan, Failure, JournalEntry, UndoLog } from '../shared/api'
import { FileRegistry } from '../main/api/file-registry'
import { createHandlers, type Handlers } from '../main/api/handlers'
import { appDataDir } from '../main/app-data-dir'
import { withDbErrors } from '../main/db/errors'
import { RETENTION, type Retention } from '../main/db/journal'
import { describeShred } from './privacy'

export type CleanupCommand = 'compact' | 'rm' | 'clear' | 'snapshots' | 'restore' | 'backup' | 'vacuum'

export interface CleanupFlags {
  'dry-run'?: boolean
  'include-streaming'?: boolean
  'no-backup'?: boolean
  shred?: boolean
  'delete-backups'?: boolean
  vacuum?: boolean
  yes?: boolean
  'min-age'?: string
  keep?: string
  'keep-days'?: string
  'older-than'?: string
  'inactive-since'?: string
}

export interface CleanupOutput {
  json: unknown
  text: string
}

type Result<T> = { ok: true; value: T } | Failure

/** An expected failure of a cleanup command: one line on stderr, exit 1. */
export class CleanupError extends Error {}

export function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw new CleanupError(result.message)
  return result.value
}

/** Handlers over one file, opened for writing only when the command writes. */
function cleanupHandlers(db: string, write: boolean, retention: Retention, backupBeforeClear: boolean) {
  const files = new FileRegistry(write ? 'write' : 'read')
  const { fileId } = files.add(db)
  const dir = appDataDir()
  const handlers: Handlers = createHandlers(files, {
    writesEnabled: write,
    retention,
    backupBeforeClear,
    dataDir: dir,
    searchDir: join(dir, 'search'),
  })
  return { handlers, fileId, repo: () => files.repo(fileId)!, close: () => files.closeAll() }
}

function wholeNumber(flag: string, text: string, min = 0): number {
  const n = Number(text)
  if (!/^\d+$/.test(text) || n < min)
    throw new CleanupError(
      `${flag} takes a whole number${min > 0 ? ` of at least ${min}` : ''}, not "${text}"`,
    )
  return n
}

/** Runs one cleanup command on `db`; `rest` are the positionals after DB. */
export function runCleanup(
  command: CleanupCommand,
  db: string,
  rest: string[],
  flags: CleanupFlags,
): CleanupOutput {
  // Every argument is checked before the file is opened: a bad command line changes nothing.
  if (flags['include-streaming'])
    throw new CleanupError(
      '--include-streaming is gone: a reply still streaming is never compacted (lower --min-age to treat replies as done sooner)',
    )
  const minAge = wholeNumber('--min-age', flags['min-age'] ?? '60', 1)
  const retention = {
    entries: wholeNumber('--keep', flags.keep ?? String(RETENTION.entries)),
    days: wholeNumber('--keep-days', flags['keep-days'] ?? String(RETENTION.days)),
  }
  const inactiveBefore = retentionCutoff(flags)
  if (command === 'rm' && rest.length === 0 && inactiveBefore === null)
    throw new CleanupError(
      'rm needs the CONVERSATION ids to delete (chv ls DB lists them), or --older-than / --inactive-since',
    )
  if (inactiveBefore !== null && (command !== 'rm' || rest.length > 0))
    throw new CleanupError(
      '--older-than and --inactive-since go with rm DB alone, instead of CONVERSATION ids',
    )
  if (command === 'restore' && !/^\d+$/.test(rest[0] ?? ''))
    throw new CleanupError(
      `restore takes the number of an undo entry (chv snapshots DB lists them), not ${rest[0] === undefined ? 'nothing' : `"${rest[0]}"`}`,
    )
  const confirmed = flags.yes === true
  const writes =
    (command === 'compact' && !flags['dry-run']) ||
    ((command === 'rm' || command === 'clear' || command === 'vacuum') && confirmed) ||
    command === 'restore'
  const { handlers, fileId, repo, close } = cleanupHandlers(db, writes, retention, !flags['no-backup'])
  try {
    switch (command) {
      case 'snapshots': {
        const log = unwrap(handlers['undo.list']({ fileId }))
        return { json: log, text: describeUndoLog(log, db) }
      }
      case 'restore': {
        const entryId = Number(rest[0])
        const r = unwrap(handlers['undo.apply']({ fileId, entryId }))
        if (r.alreadyUndone)
          return { json: r, text: `Entry ${entryId} was undone already; nothing was changed.` }
        const lines = [
          `Restored ${count(r.rowsRestored, 'event')}, removed ${count(r.rowsRemoved, 'event')}.`,
        ]
        for (const s of r.skipped) lines.push(`Left as it is: ${s.conversation_id}: ${s.reason}.`)
        return { json: r, text: withNote(lines.join('\n'), r.note) }
      }
      case 'backup': {
        // The app names no paths; a terminal may (checked: never the database or its side files).
        const made = rest[0]
          ? withDbErrors(db, () => repo().backup(appDataDir(), resolve(rest[0]!)))
          : unwrap(handlers['backup.create']({ fileId }))
        return { json: made, text: `Backed up ${db} to ${made.path} (${kb(made.bytes)}).` }
      }
      case 'vacuum': {
        if (!confirmed) {
          const { freeBytes } = unwrap(handlers['vacuum.plan']({ fileId }))
          throw new CleanupError(
            `vacuum would give back ${kb(freeBytes)}; no other program can write while it runs (stop the chat app), then add --yes`,
          )
        }
        const r = unwrap(handlers['vacuum.apply']({ fileId }))
        return {
          json: r,
          text: `Vacuumed: ${kb(r.bytesBefore)} before, ${kb(r.bytesAfter)} after. A full backup was taken first: ${r.backup.path}`,
        }
      }
      case 'compact': {
        const plan = unwrap(
          handlers['cleanup.plan']({
            fileId,
            conversationId: rest[0] ?? null,
            minAgeSeconds: minAge,
            groupsLimit: flags['dry-run'] ? 1_000_000 : 0,
          }),
        )
        if (flags['dry-run']) return { json: plan, text: describeCompaction(plan) }
        const r = unwrap(
          handlers['cleanup.apply']({
            fileId,
            planId: plan.planId,
            replies: plan.replies,
            chunks: plan.chunks,
          }),
        )
        const left = [
          r.skippedStreaming && `left ${count(r.skippedStreaming, 'reply', 'replies')} still streaming`,
          r.changedSincePlan &&
            `${count(r.changedSincePlan, 'reply', 'replies')} changed meanwhile (run again)`,
          r.alreadyCompacted &&
            `${count(r.alreadyCompacted, 'reply', 'replies')} compacted meanwhile (by the chat app or another cleanup)`,
        ].filter(Boolean)
        const text = `Compacted ${count(r.compacted, 'reply', 'replies')} (${count(r.chunksRemoved, 'chunk')})${
          left.length ? `; ${left.join(', ')}` : ''
        }.${undoHint(db, r.entryId)}${r.migrated ? MIGRATED : ''}`
        return { json: r, text: withNote(text, r.note) }
      }
      case 'rm':
      case 'clear': {
        const ids = inactiveBefore === null ? rest : repo().conversationsInactiveSince(inactiveBefore)
        if (ids.length === 0 && command === 'rm')
          return { json: { conversations: [] }, text: 'No conversation was inactive for that long.' }
        const plan = unwrap(
          handlers['delete.plan']({ fileId, conversationIds: command === 'clear' ? null : ids }),
        )
        if (flags['dry-run'])
          return {
            json: plan,
            text: [
              ...plan.conversations.map((c) => `${c.conversation_id}  ${count(c.rows, 'event')}`),
              `Would delete ${count(plan.rows, 'event')} in ${count(plan.conversationsTotal, 'conversation')}.`,
            ].join('\n'),
          }
        if (!confirmed)
          throw new CleanupError(
            `this would delete ${count(plan.rows, 'event')} in ${count(plan.conversationsTotal, 'conversation')}: add --yes to do it`,
          )
        const r = unwrap(
          handlers['delete.apply']({
            fileId,
            planId: plan.planId,
            all: plan.all,
            conversations: plan.conversationsTotal,
            rows: plan.rows,
            shred: flags.shred === true,
            deleteBackups: flags['delete-backups'] === true,
            vacuum: flags.vacuum === true,
          }),
        )
        const kept = r.rowsKept ? ` (${count(r.rowsKept, 'event')} written meanwhile were kept)` : ''
        if (r.shred) {
          const text = `Deleted ${count(r.rowsRemoved, 'event')} in ${count(r.conversations, 'conversation')} for good${kept}.\n${describeShred(r.shred)}`
          return { json: r, text: withNote(text, r.note) }
        }
        const backup = r.backup ? ` A full backup was taken first: ${r.backup.path}` : ''
        const text = `Deleted ${count(r.rowsRemoved, 'event')} in ${count(r.conversations, 'conversation')}${kept}.${undoHint(db, r.entryId)}${backup}${r.migrated ? MIGRATED : ''}`
        return { json: r, text: withNote(text, r.note) }
      }
    }
  } finally {
    close()
  }
}

const MIGRATED = ' The file was first brought to the chat app`s current schema (created_at_unix, indexes).'

const undoHint = (db: string, entryId: number | null) =>
  entryId === null ? '' : ` Undo: chv restore ${db} ${entryId}`

const withNote = (text: string, note: string | null) => (note ? `${text}\n${note}` : text)

const count = (n: number, one: string, many = `${one}s`) =>
  `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`

const kb = (bytes: number) =>
  bytes < 1024
    ? `${bytes} B`
    : bytes < 1024 ** 2
      ? `${(bytes / 1024).toFixed(1)} KiB`
      : `${(bytes / 1024 ** 2).toFixed(1)} MiB`

export function describeCompaction(plan: CompactionPlan): string {
  if (plan.groupsTotal === 0) return 'No pending streamed replies.'
  const lines = plan.groups.map(
    (g) =>
      `${g.conversation_id}  ${g.user_request_id}  ${count(g.chunks, 'chunk')}, ${kb(g.bytes)}${
        g.streaming ? '  (still streaming: left alone)' : ''
      }\n    ${JSON.stringify(g.preview.slice(0, 120))}`,
  )
  lines.push(
    `${count(plan.replies, 'reply', 'replies')} to compact (${count(plan.chunks, 'chunk')}, ${kb(plan.bytes)})${
      plan.streaming ? `, ${plan.streaming} still streaming` : ''
    }.`,
  )
  return lines.join('\n')
}

const STATE_WORDS: Record<JournalEntry['state'], string> = {
  applied: 'done',
  interrupted: 'interrupted (undo puts back what it did)',
  stopped: 'stopped part-way',
  undone: 'undone',
  partly_undone: 'partly undone',
  damaged: 'damaged record (cannot be undone)',
  shredded: 'removed for good (cannot be undone)',
}

export function describeUndoLog(log: UndoLog, db: string): string {
  const lines: string[] = []
  if (log.note) lines.push(log.note)
  if (log.entries.length === 0) lines.push('No changes recorded for this file.')
  for (const e of log.entries) {
    const who = e.conversationCount === 1 ? e.conversations[0] : `${e.conversationCount} conversations`
    lines.push(
      `#${e.id}  ${e.created_at.replace('T', ' ').slice(0, 19)}  ${e.operation.padEnd(7)}  ${who}  -${e.rowsRemoved}${
        e.rowsAdded ? ` +${e.rowsAdded}` : ''
      } events  ${STATE_WORDS[e.state]}`,
    )
  }
  if (log.entries.some((e) => !['undone', 'damaged', 'shredded'].includes(e.state)))
    lines.push(`Undo one: chv restore ${db} NUMBER`)
  if (log.backups.length > 0) {
    lines.push('', 'Full backups:')
    for (const b of log.backups)
      lines.push(
        `  ${b.created_at.replace('T', ' ').slice(0, 19)}  ${b.label.padEnd(7)}  ${kb(b.bytes)}  ${b.path}`,
      )
  }
  return lines.join('\n')
}

const UNITS: Record<string, number> = { m: 60, h: 3600, d: 86_400, w: 604_800 }

/** `--older-than 90d` (m, h, d, w) or `--inactive-since 2026-01-01`: the Unix time before which a conversation's last event makes it go. */
function retentionCutoff(flags: CleanupFlags, now = Date.now()): number | null {
  const age = flags['older-than']
  const since = flags['inactive-since']
  if (age !== undefined && since !== undefined)
    throw new CleanupError('use --older-than or --inactive-since, not both')
  if (age !== undefined) {
    const m = /^(\d+)([mhdw])$/.exec(age)
    if (!m) throw new CleanupError(`--older-than takes an age such as 90d, 12h or 2w, not "${age}"`)
    return Math.floor(now / 1000) - Number(m[1]) * UNITS[m[2]!]!
  }
  if (since !== undefined) {
    const t = Date.parse(since)
    if (Number.isNaN(t))
      throw new CleanupError(`--inactive-since takes a date such as 2026-01-31, not "${since}"`)
    return Math.floor(t / 1000)
  }
  return null
}
