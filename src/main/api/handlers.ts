// The contract implemented over the repository: plain functions, no transport, no Electron.
import { existsSync, statSync } from 'node:fs'
import type { Channel, Failure, Output, ParsedInput } from '../../shared/api'
import { listBackups } from '../db/backup'
import type { CompactionWork } from '../db/compaction'
import type { DeletionWork } from '../db/deletion'
import { fromSqliteError, isDbError } from '../db/errors'
import { journalPath, listEntries, openJournal, RETENTION, type Retention } from '../db/journal'
import { exportText, MAX_EXPORT_CHARS } from '../db/export'
import { lintConversations } from '../db/lint'
import { LLM_HISTORY_LIMIT } from '../db/llm-conversation'
import { storageStats } from '../db/storage'
import type { ChatRepository } from '../db/repository'
import { SearchService } from '../search/search-service'
import { DerivedService } from '../index/derived-service'
import { find } from '../index/search-find'
import { deleteSearchIndex, searchIndexBytes } from '../index/index-files'
import { withToolNames } from '../index/search-where'
import type { FileRegistry } from './file-registry'
import { PlanStore } from './plan-store'
import { RULES } from '../privacy/rules'
import type { Finding } from '../privacy/scan'

/** One handler per contract entry: a missing one is a compile error. */
export type Handlers = { [C in Channel]: (input: ParsedInput<C>) => Output<C> }

const fail = (reason: Failure['reason'], message: string): Failure => ({ ok: false, reason, message })
const ok = <T>(value: T) => ({ ok: true as const, value })

export interface HandlerOptions {
  /** The app's data folder: undo journals, backups (never beside the user's file). */
  dataDir: string
  /** Where search indexes are kept (the app's data folder, never beside the user's file). */
  searchDir: string
  /** Whether this transport lets the UI change files at all (`chv serve --write`, the desktop app). */
  writesEnabled?: boolean
  /** Exports larger than this many characters are refused with their size (tests set it low). */
  maxExportChars?: number
  /** How long undo entries are kept, and how many (30 days, 50 by default). */
  retention?: Retention
  /** A full backup before clearing everything (default true; `chv clear --no-backup` says no). */
  backupBeforeClear?: boolean
}

/** Plans list at most this many conversations; the totals count them all. */
const LISTED_CONVERSATIONS = 500
/** A scan lists at most this many findings (masked); its total counts them all. */
const LISTED_FINDINGS = 1000

/** A finding as it may leave main: masked, without the secret or where it sits in the file. */
const publicFinding = ({ secret: _s, rowid: _r, spans: _p, ...f }: Finding) => f

export function createHandlers(files: FileRegistry, options: HandlerOptions): Handlers {
  const search = new SearchService(files, options.searchDir)
  // The derived index lives beside the search index (the app's data folder).
  const derived = new DerivedService(files, options.searchDir)
  const journal = {
    dataDir: options.dataDir,
    retention: options.retention ?? RETENTION,
    backup: options.backupBeforeClear === false ? false : undefined,
  }
  const plans = new PlanStore()
  const expired = () =>
    fail(
      'plan_expired',
      'That plan is no longer valid (used, older than 10 minutes, or not issued here): plan again. Nothing was changed.',
    )
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
      // SQLite's own failures met while reading (a damaged page): typed like the ones met at opening.
      const typed = fromSqliteError(error, files.ref(fileId)?.path ?? fileId)
      if (typed) return fail(typed.code, typed.message)
      // Only this call fails, with what happened; the thread and every other call go on.
      const message = error instanceof Error ? error.message : String(error)
      return fail('unexpected', `This could not be read: ${message}`)
    }
  }

  /** Closes the file's search and derived indexes and deletes them; true when there was one. */
  function deleteIndexes(fileId: string, path: string): boolean {
    search.forget(fileId)
    const derivedDeleted = derived.deleteIndex(fileId)?.deleted ?? false
    // The file itself gone: so is what its search index was keyed by (pruned later).
    return deleteSearchIndex(path, options.searchDir) || derivedDeleted
  }

  /** Runs `work` with the file's indexes closed, then deletes them: they may hold text `work` removes. */
  function withoutIndexes<T>(fileId: string, path: string, work: () => T): T {
    search.forget(fileId)
    derived.forget(fileId)
    try {
      return work()
    } finally {
      deleteIndexes(fileId, path)
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
          note: repo.note ?? null,
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
    'search.find': ({ fileId, ...query }) =>
      withRepo(fileId, (repo) => {
        const index = search.index(fileId)!
        const found = find(index.database, query)
        // Hits found in tool calls name the call (read from the file: at most a page of rows).
        return { ...found, hits: withToolNames(repo.db, found.hits, query.text), status: index.status() }
      }),
    'index.status': ({ fileId }) =>
      withRepo(fileId, (repo) => ({
        ...derived.status(fileId)!,
        searchBytes: searchIndexBytes(repo.path, options.searchDir),
      })),
    'index.delete': ({ fileId }) =>
      withRepo(fileId, (repo) => ({ deleted: deleteIndexes(fileId, repo.path) })),
    'conversations.query': ({ fileId, offset, limit, ...filters }) =>
      withRepo(fileId, () => derived.query(fileId, filters, { offset, limit })!),
    'conversations.page': ({ fileId, offset, limit, ...filters }) =>
      withRepo(fileId, () => derived.page(fileId, filters, { offset, limit })!),
    'conversations.position': ({ fileId, atUnix, ...filters }) =>
      withRepo(fileId, () => derived.position(fileId, filters, atUnix)!),
    'cleanup.plan': ({ fileId, conversationId, minAgeSeconds, groupsLimit }) =>
      withRepo(fileId, (repo) => {
        const missing = conversationId === null ? undefined : requireConversation(repo, conversationId)
        if (missing) return missing
        const work = repo.planCompaction(conversationId, minAgeSeconds)
        const ready = work.replies.filter((r) => !r.streaming)
        return {
          ...plans.issue(fileId, 'compact', work),
          conversationId,
          groups: work.replies
            .slice(0, groupsLimit)
            .map(({ rows: _r, conversationKey: _c, requestKey: _q, ...g }) => g),
          groupsTotal: work.replies.length,
          replies: ready.length,
          chunks: ready.reduce((n, r) => n + r.chunks, 0),
          bytes: ready.reduce((n, r) => n + r.bytes, 0),
          streaming: work.replies.length - ready.length,
        }
      }),
    'cleanup.apply': ({ fileId, planId, replies, chunks }) =>
      withRepo(fileId, (repo) => {
        if (repo.readOnly) return readOnly()
        const work = plans.take<CompactionWork>(fileId, 'compact', planId)
        if (!work) return expired()
        const ready = work.replies.filter((r) => !r.streaming)
        if (ready.length !== replies || ready.reduce((n, r) => n + r.chunks, 0) !== chunks) return expired()
        return repo.compact(work, journal)
      }),
    'delete.plan': ({ fileId, conversationIds }) =>
      withRepo(fileId, (repo) => {
        const work = repo.planDeletion(conversationIds)
        if (work.unknown.length > 0)
          return fail(
            'no_conversation',
            `There is no conversation ${work.unknown.map((id) => `"${id}"`).join(', ')} in this file; nothing was changed.`,
          )
        return {
          ...plans.issue(fileId, 'delete', work),
          all: work.all,
          conversations: work.conversations
            .slice(0, LISTED_CONVERSATIONS)
            .map(({ conversation_id, rows, bytes }) => ({ conversation_id, rows, bytes })),
          conversationsTotal: work.conversations.length,
          rows: work.conversations.reduce((n, c) => n + c.rows, 0),
          bytes: work.conversations.reduce((n, c) => n + c.bytes, 0),
        }
      }),
    'delete.apply': ({ fileId, planId, all, conversations, rows, shred, deleteBackups, vacuum }) =>
      withRepo(fileId, (repo) => {
        if (repo.readOnly) return readOnly()
        const work = plans.take<DeletionWork>(fileId, 'delete', planId)
        if (!work) return expired()
        const planned = work.conversations.reduce((n, c) => n + c.rows, 0)
        if (work.all !== all || work.conversations.length !== conversations || planned !== rows)
          return expired()
        if (!shred) return repo.deleteConversations(work, journal)
        return withoutIndexes(fileId, repo.path, () =>
          repo.deleteForGood(work, { ...journal, deleteBackups, vacuum }),
        )
      }),
    'privacy.scan': ({ fileId, conversationIds, pii }) =>
      withRepo(fileId, (repo) => {
        let rowsScanned = 0
        const findings = repo.scanSecrets({ conversations: conversationIds, pii }, () => rowsScanned++)
        const counts = new Map<string, number>()
        for (const f of findings) counts.set(f.rule, (counts.get(f.rule) ?? 0) + 1)
        const { planId: scanId, expiresAt } = plans.issue(fileId, 'scan', findings)
        return {
          scanId,
          expiresAt,
          findings: findings.slice(0, LISTED_FINDINGS).map(publicFinding),
          total: findings.length,
          byRule: [...counts].map(([rule, count]) => ({
            rule,
            description: RULES.find((r) => r.id === rule)?.description ?? rule,
            count,
          })),
          rowsScanned,
        }
      }),
    'privacy.redact': ({ fileId, scanId, rules, eventIds, count, shred, deleteBackups, vacuum }) =>
      withRepo(fileId, (repo) => {
        if (repo.readOnly) return readOnly()
        const scanned = plans.take<Finding[]>(fileId, 'scan', scanId)
        if (!scanned) return expired()
        const chosen = scanned.filter(
          (f) => (!rules || rules.includes(f.rule)) && (!eventIds || eventIds.includes(f.event_id)),
        )
        if (chosen.length !== count) return expired()
        // Text changed in place is not something the indexes notice: they go, and are rebuilt on demand.
        return withoutIndexes(fileId, repo.path, () =>
          repo.redact(chosen, { ...journal, shred, deleteBackups, vacuum }),
        )
      }),
    'lint.run': ({ fileId, conversationId }) =>
      withRepo(fileId, (repo) => lintConversations(repo.db, repo.schema, conversationId)),
    // From the derived index when it is (or quickly becomes) current; otherwise by reading every row.
    'storage.stats': ({ fileId }) =>
      withRepo(fileId, (repo) => derived.storageStats(fileId, repo.freeSpace()) ?? storageStats(repo)),
    'export.conversations': ({ fileId, conversationIds, format, systemPrompt }) =>
      withRepo(fileId, (repo) => {
        const limit = options.maxExportChars ?? MAX_EXPORT_CHARS
        const out = exportText(repo, conversationIds, { format, systemPrompt }, limit)
        if ('text' in out) return out.text
        const mb = (n: number) => (n / 1024 / 1024).toFixed(1)
        return fail(
          'too_large',
          `This export is ${mb(out.tooLarge)} MB, more than the ${mb(limit)} MB one answer can carry: use chv export with -o FILE, which streams it.`,
        )
      }),
    'vacuum.plan': ({ fileId }) => withRepo(fileId, (repo) => repo.freeSpace()),
    'vacuum.apply': ({ fileId }) =>
      withRepo(fileId, (repo) => (repo.readOnly ? readOnly() : repo.vacuum(options.dataDir))),
    'backup.create': ({ fileId }) => withRepo(fileId, (repo) => repo.backup(options.dataDir)),
    'undo.list': ({ fileId }) =>
      withRepo(fileId, (repo) => {
        const backups = listBackups(options.dataDir, repo.path)
        const path = journalPath(options.dataDir, repo.path)
        if (!existsSync(path)) return { entries: [], backups, note: null }
        const { db, note } = openJournal(path)
        try {
          return { entries: listEntries(db), backups, note }
        } finally {
          db.close()
        }
      }),
    'undo.apply': ({ fileId, entryId }) =>
      withRepo(fileId, (repo) => (repo.readOnly ? readOnly() : repo.undo(entryId, journal))),
  }
}
const readOnly = () => fail('read_only', 'The file is open read-only; nothing was changed.')

function isFailure(value: unknown): value is Failure {
  return typeof value === 'object' && value !== null && (value as { ok?: unknown }).ok === false
}
