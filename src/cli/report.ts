// chv export / stats / lint.
import { closeSync, openSync } from 'node:fs'
import type { LintFinding, StorageStats } from '../shared/api'
import { withDbErrors } from '../main/db/errors'
import { exportConversations, type ExportFormat } from '../main/db/export'
import { lintConversations as lintFile } from '../main/db/lint'
import { assertNotTheDatabase } from '../main/db/output-path'
import type { ChatRepository } from '../main/db/repository'
import type { SchemaState } from '../main/db/schema'
import { storageStats as statsOf } from '../main/db/storage'
import { statsFromIndex } from '../main/index/index-stats'
import type { DerivedIndex } from '../main/index/derived-index'
import { builtIndex } from './list-filters'
import { printError, printed, writeAll } from './output'
import { fromSystemError } from './system-errors'
import { escapeControls } from './terminal-text'

const kb = (n: number) =>
  n < 1024 ? `${n} B` : n < 1024 ** 2 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1024 ** 2).toFixed(1)} MiB`

/**
 * Streams the export to `out` (a path, written exactly, or stdout, with control characters escaped);
 * a progress line on stderr when it is a terminal. A damaged file is a typed error, not SQLite's.
 */
export function runExport(
  repo: ChatRepository,
  ids: string[],
  format: ExportFormat,
  out: string | undefined,
  systemPrompt: string | undefined,
): void {
  withDbErrors(repo.path, () => exportTo(repo, ids, format, out, systemPrompt))
}

function exportTo(
  repo: ChatRepository,
  ids: string[],
  format: ExportFormat,
  out: string | undefined,
  systemPrompt: string | undefined,
): void {
  const conversations = ids.length > 0 ? ids : repo.listConversations()
  // Checked before anything is opened: `-o DB` would truncate the history itself.
  if (out) assertNotTheDatabase(out, repo.path)
  const fd = out ? openSync(out, 'w') : 1
  const write =
    fd === 1
      ? (chunk: string) => writeAll(1, printed(chunk, format !== 'md'))
      : (chunk: string) => writeTo(fd, out!, chunk)
  const count = repo.db.prepare('SELECT count(*) FROM chat_events WHERE conversation_id = ?').pluck()
  const total = conversations.reduce((n, id) => n + (count.get(id) as number), 0)
  let done = 0
  const progress = out !== undefined && process.stderr.isTTY
  try {
    exportConversations(
      repo,
      conversations,
      {
        format,
        systemPrompt,
        onEvent: () => {
          done++
          if (progress && done % 1000 === 0)
            process.stderr.write(`\r${done}${total ? ` of ${total}` : ''} events`)
        },
      },
      write,
    )
  } finally {
    if (fd !== 1) closeSync(fd)
    if (progress) process.stderr.write(`\r${done} events exported to ${escapeControls(out)}\n`)
  }
}

/** A write error names the file it was for (a full disk), so the one line says where. */
function writeTo(fd: number, path: string, chunk: string): void {
  try {
    writeAll(fd, chunk)
  } catch (error) {
    if (error instanceof Error && !('path' in error)) Object.assign(error, { path })
    throw error
  }
}

export function describeStats(stats: StorageStats): string {
  const lines = [
    `File: ${kb(stats.fileBytes)}, ${kb(stats.freeBytes)} of it free pages (a VACUUM gives them back), ${stats.events} events.`,
    `Compaction: ${stats.compaction.replies} pending replies, ${stats.compaction.chunks} chunk rows, ${kb(stats.compaction.bytes)} of text.`,
    '',
    'By event type (content / extra / raw / tool_calls):',
    ...stats.byType.map(
      (t) =>
        `  ${t.type.padEnd(18)} ${String(t.events).padStart(8)} events  ${kb(t.content)} / ${kb(t.extra)} / ${kb(t.raw)} / ${kb(t.tool_calls)}`,
    ),
    '',
    'Largest conversations:',
    ...stats.largest.map(
      (c) => `  ${kb(c.bytes).padStart(10)}  ${String(c.events).padStart(7)} events  ${c.conversation_id}`,
    ),
  ]
  return lines.join('\n')
}

export function describeFindings(findings: LintFinding[]): string {
  if (findings.length === 0) return 'No findings.'
  return findings
    .map(
      (f) =>
        `${f.severity === 'problem' ? 'problem' : 'note   '}  ${f.conversation_id}  #${f.seq}  ${f.kind}: ${f.message}`,
    )
    .join('\n')
}

export const lintConversations = (
  repo: ChatRepository,
  schema: SchemaState,
  conversationId: string | null,
): LintFinding[] => withDbErrors(repo.path, () => lintFile(repo.db, schema, conversationId))

export const storageStats = (repo: ChatRepository): StorageStats =>
  withDbErrors(repo.path, () => statsOf(repo))

/**
 * chv stats from the derived index (built on first use, with a progress line on a terminal): reading
 * every row took 6-10 s on a 1M-event file. When the index cannot be used (its folder unwritable, say)
 * the whole file is read as before, with a note; a file that cannot be read says so as before.
 */
export function indexedStorageStats(repo: ChatRepository): StorageStats {
  let index: DerivedIndex | undefined
  try {
    index = builtIndex(repo.path)
    return statsFromIndex(index.db, repo.freeSpace())
  } catch (error) {
    const stats = storageStats(repo)
    printError(`note: counted without the index (${fromSystemError(error) ?? (error as Error).message})`)
    return stats
  } finally {
    index?.close()
  }
}
