// chv scan / redact: leaked secrets found anywhere in a history, and removed (for good with --shred).
import { join } from 'node:path'
import type { ScanResult, ShredReport } from '../shared/api'
import { FileRegistry } from '../main/api/file-registry'
import { createHandlers, type Handlers } from '../main/api/handlers'
import { appDataDir } from '../main/app-data-dir'
import { CleanupError, unwrap } from './cleanup'

export interface PrivacyFlags {
  pii?: boolean
  rule?: string[]
  yes?: boolean
  shred?: boolean
  'delete-backups'?: boolean
  vacuum?: boolean
}

function scanned(
  handlers: Handlers,
  fileId: string,
  conversations: string[],
  flags: PrivacyFlags,
): ScanResult {
  return unwrap(
    handlers['privacy.scan']({
      fileId,
      conversationIds: conversations.length ? conversations : null,
      pii: !!flags.pii,
    }),
  )
}

function privacyHandlers(db: string, write: boolean) {
  const files = new FileRegistry(write ? 'write' : 'read')
  const { fileId } = files.add(db)
  const dir = appDataDir()
  const handlers = createHandlers(files, {
    writesEnabled: write,
    dataDir: dir,
    searchDir: join(dir, 'search'),
  })
  return { handlers, fileId, close: () => files.closeAll() }
}

/** `chv scan`: exit 1 when something is found, as lint does. */
export function runScan(
  db: string,
  conversations: string[],
  flags: PrivacyFlags,
): { json: unknown; text: string; found: boolean } {
  const { handlers, fileId, close } = privacyHandlers(db, false)
  try {
    const scan = scanned(handlers, fileId, conversations, flags)
    const { scanId: _id, expiresAt: _at, ...json } = scan
    return { json, text: describeScan(scan), found: scan.total > 0 }
  } finally {
    close()
  }
}

/** `chv redact`: scans, then replaces what the rules found (all, or `--rule` ones) after --yes. */
export function runRedact(
  db: string,
  conversations: string[],
  flags: PrivacyFlags,
): { json: unknown; text: string } {
  const write = flags.yes === true
  const { handlers, fileId, close } = privacyHandlers(db, write)
  try {
    const scan = scanned(handlers, fileId, conversations, flags)
    const rules = flags.rule?.length ? flags.rule : null
    const count = scan.byRule.filter((r) => !rules || rules.includes(r.rule)).reduce((n, r) => n + r.count, 0)
    if (count === 0) return { json: { findingsRedacted: 0 }, text: 'Nothing to redact.' }
    if (!write)
      throw new CleanupError(
        `this would redact ${count} finding${count === 1 ? '' : 's'}${flags.shred ? ' for good (no undo)' : ''}: add --yes to do it`,
      )
    const r = unwrap(
      handlers['privacy.redact']({
        fileId,
        scanId: scan.scanId,
        rules,
        eventIds: null,
        count,
        shred: !!flags.shred,
        deleteBackups: !!flags['delete-backups'],
        vacuum: !!flags.vacuum,
      }),
    )
    const lines = [
      `Redacted ${r.findingsRedacted} of ${count} finding${count === 1 ? '' : 's'} in ${r.rowsChanged} event${r.rowsChanged === 1 ? '' : 's'}.${
        r.entryId !== null && !r.shred ? ` Undo: chv restore ${db} ${r.entryId}` : ''
      }`,
      ...r.skipped.map((s) => `Left as it is: ${s.event_id} (${s.rule}): ${s.reason}.`),
    ]
    if (r.shred) lines.push(describeShred(r.shred))
    if (r.note) lines.push(r.note)
    return { json: r, text: lines.join('\n') }
  } finally {
    close()
  }
}

export function describeScan(scan: ScanResult): string {
  if (scan.total === 0) return `No secrets found in ${scan.rowsScanned} events.`
  const lines = [
    `${scan.total} finding${scan.total === 1 ? '' : 's'} in ${scan.rowsScanned} events:`,
    ...scan.byRule.map((r) => `  ${String(r.count).padStart(6)}  ${r.rule}  (${r.description})`),
    '',
    ...scan.findings.map(
      (f) => `${f.conversation_id}  #${f.seq}  ${f.column.padEnd(10)}  ${f.rule}  ${f.masked}`,
    ),
  ]
  if (scan.total > scan.findings.length) lines.push(`…and ${scan.total - scan.findings.length} more.`)
  return lines.join('\n')
}

export function describeShred(report: ShredReport): string {
  const lines = [
    report.clean
      ? "Removed for good: no copy left in the file, its -wal or the app's data folder."
      : 'Removed, but a copy remains:',
    ...report.remaining.map((r) => `  ${r.path} (${r.what})`),
  ]
  if (report.walNote) lines.push(report.walNote)
  if (report.vacuumNote) lines.push(report.vacuumNote)
  if (report.vacuumed)
    lines.push('The file was rewritten (VACUUM) to drop copies earlier changes had left in it.')
  if (report.removedCaches.length)
    lines.push(`Search and list caches removed (rebuilt on demand): ${report.removedCaches.length}.`)
  if (report.removedBackups.length) lines.push(`Full backups deleted: ${report.removedBackups.join(', ')}.`)
  else if (report.remaining.some((r) => r.path.includes(`${'/'}backups${'/'}`)))
    lines.push('Full backups still hold it: add --delete-backups to delete them.')
  return lines.join('\n')
}
