// The contract implemented over the repository: plain functions, no transport, no Electron.
import { existsSync, statSync } from 'node:fs'
import type { Channel, Failure, Output, ParsedInput } from '../../shared/api'
import { isDbError } from '../db/errors'
import { exportConversations } from '../db/export'
import { lintConversations } from '../db/lint'
import { LLM_HISTORY_LIMIT } from '../db/llm-conversation'
import { storageStats } from '../db/storage'
import type { ChatRepository } from '../db/repository'
import { listSnapshots } from '../db/snapshot'
import { SearchService } from '../search/search-service'
import type { FileRegistry } from './file-registry'

/** One handler per contract entry: a missing one is a compile error. */
export type Handlers = { [C in Channel]: (input: ParsedInput<C>) => Output<C> }

const fail = (reason: Failure['reason'], message: string): Failure => ({ ok: false, reason, message })
const ok = <T>(value: T) => ({ ok: true as const, value })

export interface HandlerOptions {
  /** Where snapshots go before destructive work (the app's data folder). */
  snapshotDir: string
  /** Where search indexes are kept (the app's data folder, never beside the user's file). */
  searchDir: string
  /** Whether this transport lets the UI change files at all (`chv serve --write`, the desktop app). */
  writesEnabled?: boolean
  /** How many snapshots of each file to keep (default 10). */
  keepSnapshots?: number
}

export function createHandlers(files: FileRegistry, options: HandlerOptions): Handlers {
  const search = new SearchService(files, options.searchDir)
  const snapshots = { dir: options.snapshotDir, keep: options.keepSnapshots }
  /** Runs `work` on the file's repository; expected failures become values. */
  function withRepo<T>(
    fileId: string,
    work: (repo: ChatRepository) => T | Failure,
  ): { ok: true; value: T } | Failure {
    try {
      const repo = files.repo(fileId)
      if (!repo) return fail('unknown_file', `No open file has the id ${fileId}.`)
      const value = work(repo)
      return isFailure(value) ? value : ok(value)
    } catch (error) {
      if (isDbError(error)) return fail(error.code, error.message)
      throw error
    }
  }

  const requireConversation = (repo: ChatRepository, conversationId: string): Failure | undefined =>
    repo.getEvents(conversationId, 1).length === 0
      ? fail('no_conversation', `There is no conversation "${conversationId}" in this file.`)
      : undefined

  return {
    'files.list': () => files.list(),
    'files.info': ({ fileId }) =>
      withRepo(fileId, (repo) => {
        const ref = files.ref(fileId)!
        return {
          ...ref,
          size: statSync(ref.path).size,
          readOnly: repo.readOnly,
          writesEnabled: options.writesEnabled ?? false,
          journalMode: String(repo.db.pragma('journal_mode', { simple: true })),
          walBytes: existsSync(`${ref.path}-wal`) ? statSync(`${ref.path}-wal`).size : 0,
          schema: repo.schema,
        }
      }),
    'conversations.list': ({ fileId, limit, cursor, filter, sort }) =>
      withRepo(fileId, (repo) => repo.listConversationPage(limit, cursor, { filter, sort })),
    'conversations.stats': ({ fileId, conversationIds }) =>
      withRepo(fileId, (repo) =>
        conversationIds.map((id) => ({
          ...repo.conversationStats(id),
          problems: lintConversations(repo.db, repo.schema, id).filter((f) => f.severity === 'problem')
            .length,
        })),
      ),
    'events.page': ({ fileId, conversationId, afterSeq, limit, contentChars }) =>
      withRepo(fileId, (repo) =>
        repo.getEventPage(conversationId, { afterSeq: afterSeq ?? undefined, limit, contentChars }),
      ),
    'events.get': ({ fileId, conversationId, eventId }) =>
      withRepo(
        fileId,
        (repo) =>
          repo.getEventById(conversationId, eventId) ??
          fail('no_event', `There is no event ${eventId} in conversation "${conversationId}".`),
      ),
    'model.view': ({ fileId, conversationId, systemPrompt, userMessage }) =>
      withRepo(fileId, (repo) => {
        const missing = requireConversation(repo, conversationId)
        if (missing) return missing
        const visibleEvents = repo.countModelVisible(conversationId)
        return {
          messages: repo.buildLlmConversation(conversationId, userMessage, systemPrompt),
          historyEvents: Math.min(visibleEvents, LLM_HISTORY_LIMIT),
          visibleEvents,
          limit: LLM_HISTORY_LIMIT,
        }
      }),
    'search.status': ({ fileId }) => withRepo(fileId, () => search.status(fileId)!),
    'search.query': ({ fileId, ...query }) => withRepo(fileId, () => search.query(fileId, query)!),
    'cleanup.plan': ({ fileId, conversationId, minAgeSeconds }) =>
      withRepo(fileId, (repo) => repo.planCompaction(conversationId, minAgeSeconds)),
    'cleanup.apply': ({ fileId, plan, includeStreaming }) =>
      withRepo(fileId, (repo) =>
        repo.readOnly ? readOnly() : repo.compactWithSnapshot(plan, includeStreaming, snapshots),
      ),
    'delete.plan': ({ fileId, conversationIds }) =>
      withRepo(fileId, (repo) => repo.planDeletion(conversationIds)),
    'delete.apply': ({ fileId, plan }) =>
      withRepo(fileId, (repo) => (repo.readOnly ? readOnly() : repo.deleteWithSnapshot(plan, snapshots))),
    'lint.run': ({ fileId, conversationId }) =>
      withRepo(fileId, (repo) => lintConversations(repo.db, repo.schema, conversationId)),
    'storage.stats': ({ fileId }) => withRepo(fileId, (repo) => storageStats(repo)),
    'export.conversations': ({ fileId, conversationIds, format, systemPrompt }) =>
      withRepo(fileId, (repo) => {
        const parts: string[] = []
        exportConversations(repo, conversationIds, { format, systemPrompt }, (chunk) => parts.push(chunk))
        return parts.join('')
      }),
    'vacuum.plan': ({ fileId }) => withRepo(fileId, (repo) => repo.freeSpace()),
    'vacuum.apply': ({ fileId }) => withRepo(fileId, (repo) => (repo.readOnly ? readOnly() : repo.vacuum())),
    'snapshots.list': ({ fileId }) =>
      withRepo(fileId, (repo) => listSnapshots(options.snapshotDir, repo.path)),
    'snapshots.undo': ({ fileId, snapshotPath }) =>
      withRepo(fileId, (repo) => {
        if (repo.readOnly) return readOnly()
        // Only this file's own snapshots, from the app's folder: the path is checked against the list.
        if (!listSnapshots(options.snapshotDir, repo.path).some((s) => s.path === snapshotPath))
          return fail('not_found', 'That is not a snapshot of this file; nothing was changed.')
        return repo.undo(snapshotPath)
      }),
  }
}

const readOnly = () => fail('read_only', 'The file is open read-only; nothing was changed.')

function isFailure(value: unknown): value is Failure {
  return typeof value === 'object' && value !== null && (value as { ok?: unknown }).ok === false
}
