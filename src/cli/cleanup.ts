// chv compact / rm / clear / snapshots / restore: the app's cleanup handlers, from a terminal.
import { join } from 'node:path'
import type { Failure } from '../shared/api'
import { FileRegistry } from '../main/api/file-registry'
import { createHandlers, type Handlers } from '../main/api/handlers'
import { appDataDir } from '../main/app-data-dir'

export interface CleanupOutput {
  json: unknown
  text: string
}

type Result<T> = { ok: true; value: T } | Failure

/** Handlers over one file, opened for writing only when the command writes. */
export function cleanupHandlers(
  db: string,
  write: boolean,
  keepSnapshots?: number,
): { handlers: Handlers; fileId: string; close(): void } {
  const files = new FileRegistry(write ? 'write' : 'read')
  const { fileId } = files.add(db)
  const dir = appDataDir()
  const handlers = createHandlers(files, {
    writesEnabled: write,
    keepSnapshots,
    snapshotDir: join(dir, 'snapshots'),
    searchDir: join(dir, 'search'),
  })
  return { handlers, fileId, close: () => files.closeAll() }
}

export class CleanupError extends Error {}

export function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw new CleanupError(result.message)
  return result.value
}

const kb = (bytes: number) => (bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KiB`)

export function describeCompaction(plan: {
  groups: {
    conversation_id: string
    user_request_id: string
    chunks: number
    bytes: number
    streaming: boolean
    preview: string
  }[]
}): string {
  if (plan.groups.length === 0) return 'No pending streamed replies.'
  return plan.groups
    .map(
      (g) =>
        `${g.conversation_id}  ${g.user_request_id}  ${g.chunks} chunks, ${kb(g.bytes)}${g.streaming ? '  (still streaming: left alone without --include-streaming)' : ''}\n    ${JSON.stringify(g.preview.slice(0, 120))}`,
    )
    .join('\n')
}

export function describeSnapshots(
  list: { path: string; bytes: number; operation: string; created_at: string; conversations: number }[],
): string {
  if (list.length === 0) return 'No snapshots of this file.'
  return list
    .map(
      (s) =>
        `${s.created_at}  ${s.operation.padEnd(7)}  ${s.conversations} conversations  ${kb(s.bytes)}\n    ${s.path}`,
    )
    .join('\n')
}
