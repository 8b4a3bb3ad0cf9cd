// The port of the seed's SQLiteRepo over one synchronous better-sqlite3 connection.
import type Database from 'better-sqlite3'
import type {
  RedactResult,
  ShredReport,
  CompactionResult,
  DeletionResult,
  UndoResult,
  ConversationPage,
  ConversationStats,
  ConversationSummary,
  EventPage,
  EventPreview,
  ListCursor,
} from '../../shared/api'
import type { ChatEvent, LlmMessage, NewChatEvent } from '../../shared/chat-event'
import { DbError, fromSqliteError, withDbErrors } from './errors'
import {
  EVENT_COLUMNS,
  INSERT_EVENT_SQL,
  toEvent,
  toInsertRow,
  type EventRow,
  type InsertRow,
} from './event-row'
import { cellText, type Cell } from './json-cell'
import { buildLlmMessages, collapseDouble, LLM_HISTORY_LIMIT } from './llm-conversation'
import { assertSameFile, migrate, openDatabase, type OpenedDatabase, type OpenOptions } from './open-database'
import { CREATED_AT_TO_UNIX, inspectSchema, requestIdMatches, type SchemaState } from './schema'
import { planCompaction, type CompactionWork } from './compaction'
import { ConversationList, storedConversationId, type ListOptions } from './conversation-list'
import { planDeletion, type DeletionWork } from './deletion'
import { backupToDataDir, writeBackup } from './backup'
import { runCompaction, runDeletion, runReplacement, type JournalOptions, type WriteContext } from './cleanup'
import { runUndo } from './undo'
import { planRedaction } from '../privacy/redact'
import { scanHistory, type Finding, type ScanOptions } from '../privacy/scan'
import { shred } from '../privacy/shred'
import { deletedTextProbes } from '../privacy/probes'
import { attachJournal, UNDO } from './journal'

const MODEL_VISIBLE = `(
  type IN ('user_message', 'assistant_message', 'tool_result')
  OR (type = 'system_update'
      AND CASE WHEN json_valid(extra) THEN json_extract(extra, '$.visible_to_model') END = true)
)`

/** Deltas of one reply; `json_valid` first so one malformed `extra` cannot abort the statement. */
const DELTAS_OF_REQUEST = `conversation_id = ? AND type = 'meta'
  AND CASE WHEN json_valid(extra) THEN json_extract(extra, '$.kind') = 'assistant_delta'
      AND json_extract(extra, '$.user_request_id') = ? END`

export class ChatRepository {
  readonly db: Database.Database
  private readonly statements = new Map<string, Database.Statement>()
  private readonly transaction: Database.Transaction<(work: () => unknown) => unknown>
  private readonly conversations: ConversationList
  /** How to match `extra.request_id` in this file (see `requestIdMatches`). */
  private readonly requestIdMatches: string
  /** Whether the seed's migration has run on this connection (it runs before the first change). */
  private migrated = false
  /** The undo journal attached to this connection, if any. */
  private journal: string | null = null
  private longestLockMs = 0

  private constructor(private readonly opened: OpenedDatabase) {
    this.db = opened.db
    this.transaction = this.db.transaction((work: () => unknown) => work())
    this.requestIdMatches = requestIdMatches(opened.schema)
    this.conversations = new ConversationList(this.db, (sql) => this.stmt(sql), opened.schema)
  }

  /** Opens a file; read-only unless `mode` says otherwise. Throws DbError for every bad file. */
  static open(path: string, options: OpenOptions = {}): ChatRepository {
    return new ChatRepository(openDatabase(path, options))
  }

  get path(): string {
    return this.opened.path
  }
  get readOnly(): boolean {
    return this.opened.readOnly
  }
  /** How it was opened, when the user should know (a read-only copy without live updates). */
  get note(): string | undefined {
    return this.opened.note
  }
  get schema(): SchemaState {
    return this.opened.schema
  }

  close(): void {
    if (this.db.open) this.db.close()
  }

  /** The id as the file stores it (a BLOB or a number in odd files; see storedConversationId). */
  storedConversationId(conversationId: string): Cell {
    return storedConversationId((sql) => this.stmt(sql), conversationId)
  }

  /** Each statement is prepared on first use, then reused. */
  protected stmt<R = unknown>(sql: string): Database.Statement<unknown[], R> {
    let statement = this.statements.get(sql)
    if (!statement) {
      statement = this.db.prepare(sql)
      this.statements.set(sql, statement)
    }
    return statement as Database.Statement<unknown[], R>
  }

  protected read<T>(work: () => T): T {
    return withDbErrors(this.path, work)
  }

  /**
   * Runs `work` in one IMMEDIATE transaction on the file we opened. A busy file is retried once
   * (each try waits the busy timeout), then reported as locked; nothing is written in that case.
   */
  protected write<T>(work: () => T): T {
    if (this.readOnly) {
      throw new DbError('read_only', `${this.path} is open read-only; open it for writing to change it.`)
    }
    assertSameFile(this.opened)
    for (let attempt = 1; ; attempt++) {
      const started = performance.now()
      try {
        return this.transaction.immediate(work) as T
      } catch (error) {
        const typed = fromSqliteError(error, this.path)
        if (typed?.code === 'locked' && attempt < 2) continue
        throw typed ?? error
      } finally {
        this.longestLockMs = Math.max(this.longestLockMs, performance.now() - started)
      }
    }
  }

  /** The seed's migration, once per connection, right before the first change (see open-database). */
  private migrate(): boolean {
    if (this.migrated) return false
    if (this.readOnly) throw new DbError('read_only', `${this.path} is open read-only; nothing was changed.`)
    assertSameFile(this.opened)
    const changed = withDbErrors(this.path, () => migrate(this.db, this.path))
    const schema = inspectSchema(this.db)
    if (!('kind' in schema)) this.opened.schema = schema
    this.migrated = true
    return changed
  }

  /** What cleanups need of this repository (see cleanup.ts). */
  private get writeContext(): WriteContext {
    return {
      db: this.db,
      path: this.path,
      schema: this.schema,
      write: (work) => this.write(work),
      migrate: () => this.migrate(),
      useJournal: (path) => {
        if (this.journal === path) return null
        if (this.journal !== null) this.db.prepare(`DETACH DATABASE ${UNDO}`).run()
        this.journal = null
        const note = attachJournal(this.db, path)
        this.journal = path
        return note
      },
      takeLongestLockMs: () => {
        const longest = this.longestLockMs
        this.longestLockMs = 0
        return Math.round(longest * 10) / 10
      },
    }
  }

  private nextSeq(conversationId: string): number {
    return this.stmt<number>('SELECT COALESCE(MAX(seq), 0) + 1 FROM chat_events WHERE conversation_id = ?')
      .pluck()
      .get(conversationId)!
  }

  // The seed skips its check for an empty id, then its INSERT fails on the unique index; an empty id
  // is refused here as the duplicate it is.
  private hasRequestId(conversationId: string, requestId: unknown): boolean {
    if (typeof requestId !== 'string' && typeof requestId !== 'number') return false
    return (
      this.stmt(`SELECT 1 FROM chat_events WHERE conversation_id = ? AND ${this.requestIdMatches}`).get(
        conversationId,
        requestId,
      ) !== undefined
    )
  }

  /**
   * Inserts inside an open transaction: the seed's duplicate check, then `seq = max + 1`. A batch
   * passes `nextSeqs` to remember each conversation's next seq instead of asking again.
   */
  private insert(event: NewChatEvent, nextSeqs?: Map<string, number>): InsertRow | null {
    if (this.hasRequestId(event.conversation_id, event.extra?.request_id)) return null
    const seq = nextSeqs?.get(event.conversation_id) ?? this.nextSeq(event.conversation_id)
    nextSeqs?.set(event.conversation_id, seq + 1)
    const row = toInsertRow(event, seq)
    this.stmt(INSERT_EVENT_SQL).run(row)
    return row
  }

  /**
   * The seed's `add_event`: returns the stored event, or null when the conversation already has an
   * event with this `extra.request_id`. Check, numbering and insert are one transaction, so two
   * writers can never get the same seq or both insert one request id.
   */
  addEvent(event: NewChatEvent): ChatEvent | null {
    this.migrate()
    const row = this.write(() => this.insert(event))
    return row && toEvent(row)
  }

  /** Many `addEvent`s in one transaction (imports, demo data); for each, whether it was added. */
  addEvents(events: readonly NewChatEvent[]): boolean[] {
    this.migrate()
    return this.write(() => {
      const nextSeqs = new Map<string, number>()
      return events.map((event) => this.insert(event, nextSeqs) !== null)
    })
  }

  getEvents(conversationId: string, limit?: number): ChatEvent[] {
    const sql = `SELECT ${EVENT_COLUMNS} FROM chat_events WHERE conversation_id = ? ORDER BY seq`
    return this.read(() => this.selectEvents(sql, conversationId, limit))
  }

  /** Events the model sees: messages, tool results, and system updates marked `visible_to_model`. */
  getConversationHistory(conversationId: string, limit?: number): ChatEvent[] {
    const sql = `SELECT ${EVENT_COLUMNS} FROM chat_events WHERE conversation_id = ? AND ${MODEL_VISIBLE} ORDER BY seq`
    return this.read(() => this.selectEvents(sql, conversationId, limit))
  }

  // The seed's `if limit:` — no limit for undefined and for 0.
  private selectEvents(sql: string, conversationId: string, limit: number | undefined): ChatEvent[] {
    const key = this.storedConversationId(conversationId)
    const rows = limit
      ? this.stmt<EventRow>(`${sql} LIMIT ?`).all(key, limit)
      : this.stmt<EventRow>(sql).all(key)
    return rows.map(toEvent)
  }

  /** The seed's `list_conversations`: conversation ids, last activity first. */
  listConversations(): string[] {
    return this.read(() => this.conversations.ids())
  }

  /** Every conversation with id, last activity, event count and first user message. */
  listConversationSummaries(): ConversationSummary[] {
    return this.read(() => this.conversations.all())
  }

  /** One page of the same list; a first page does not read the whole file. */
  listConversationPage(
    limit: number,
    after: ListCursor | null = null,
    options?: ListOptions,
  ): ConversationPage {
    return this.read(() => this.conversations.page(limit, after, options))
  }

  /** Models used and pending streamed chunks of a conversation (reads all its rows). */
  conversationStats(conversationId: string): Omit<ConversationStats, 'problems'> {
    return this.read(() => this.conversations.stats(this.storedConversationId(conversationId)))
  }

  /** Events with `seq` after `afterSeq`, in order; content cut to `contentChars` (its full length reported). */
  getEventPage(
    conversationId: string,
    options: { afterSeq?: number; limit: number; contentChars: number },
  ): EventPage {
    const sql = `SELECT ${EVENT_COLUMNS.replace('content', 'substr(content, 1, @chars) AS content')},
        length(content) AS content_length
      FROM chat_events WHERE conversation_id = @conversationId AND seq > @afterSeq ORDER BY seq LIMIT @limit`
    const key = this.read(() => this.storedConversationId(conversationId))
    const rows = this.read(() =>
      this.stmt<EventRow & { content_length: number | null }>(sql).all({
        conversationId: key,
        afterSeq: options.afterSeq ?? Number.MIN_SAFE_INTEGER,
        limit: options.limit,
        chars: options.contentChars,
      }),
    )
    const events = rows.map(({ content_length, ...row }): EventPreview => {
      const truncated = (content_length ?? 0) > options.contentChars
      // A cut list would not parse: keep the cut text as text.
      const event = toEvent(truncated ? { ...row, content: null } : row)
      return {
        ...event,
        content: truncated ? cellText(row.content) : event.content,
        content_length: content_length ?? 0,
        content_truncated: truncated,
      }
    })
    // `seq < ''` keeps numbers only (a text seq sorts above them) and still reads the index backwards.
    const lastSeq =
      this.stmt<number>(
        "SELECT seq FROM chat_events WHERE conversation_id = ? AND seq < '' ORDER BY seq DESC LIMIT 1",
      )
        .pluck()
        .get(key) ?? null
    // A seq that is not a number (text sorts after every number) cannot be a cursor: paging stops
    // there instead of starting over from seq 0.
    const last = events.at(-1)
    const more = events.length === options.limit && last?.odd_cells?.seq === undefined
    return { events, nextAfterSeq: more ? last!.seq : null, lastSeq }
  }

  getEventById(conversationId: string, id: string): ChatEvent | null {
    const sql = `SELECT ${EVENT_COLUMNS} FROM chat_events WHERE conversation_id = ? AND id = ?`
    const row = this.read(() => this.stmt<EventRow>(sql).get(this.storedConversationId(conversationId), id))
    return row ? toEvent(row) : null
  }

  getEventByRequestId(conversationId: string, requestId: string): ChatEvent | null {
    const sql = `SELECT ${EVENT_COLUMNS} FROM chat_events WHERE conversation_id = ? AND ${this.requestIdMatches}`
    const row = this.read(() => this.stmt<EventRow>(sql).get(conversationId, requestId))
    return row ? toEvent(row) : null
  }

  getLastAssistantReplyId(conversationId: string, userRequestId: string): string | null {
    const sql = `SELECT id FROM chat_events WHERE conversation_id = ? AND type = 'assistant_message'
      AND CASE WHEN json_valid(extra) THEN json_extract(extra, '$.user_request_id') = ? END
      ORDER BY seq DESC LIMIT 1`
    return this.read(() => this.stmt<string>(sql).pluck().get(conversationId, userRequestId)) ?? null
  }

  /**
   * The seed's `compact_deltas`: replaces the streamed chunks of one reply with one assistant message
   * whose request id is `assistant:<user_request_id>`. Idempotent: when that message exists it is
   * returned and nothing changes. Delete and insert are one transaction.
   */
  compactDeltas(
    conversationId: string,
    userRequestId: string,
    finalContent: string,
    model?: string | null,
  ): ChatEvent {
    const requestId = `assistant:${userRequestId}`
    this.migrate()
    return this.write(() => {
      const existing = this.getEventByRequestId(conversationId, requestId)
      if (existing) return existing
      this.stmt(`DELETE FROM chat_events WHERE ${DELTAS_OF_REQUEST}`).run(conversationId, userRequestId)
      const row = this.insert({
        conversation_id: conversationId,
        type: 'assistant_message',
        role: 'assistant',
        content: finalContent,
        model: model ?? null,
        extra: { user_request_id: userRequestId, request_id: requestId },
      })
      return toEvent(row!)
    })
  }

  /** What compacting pending streamed replies would do (one conversation, or all); changes nothing. */
  planCompaction(conversationId: string | null, minAgeSeconds = 60, now = new Date()): CompactionWork {
    return this.read(() =>
      planCompaction((sql) => this.stmt(sql), this.schema, conversationId, minAgeSeconds, now),
    )
  }

  /**
   * Compacts the plan's replies that are done streaming: recorded in the undo journal first, then one
   * short IMMEDIATE transaction per reply (see cleanup.ts). Nothing to do: nothing is written anywhere.
   */
  compact(work: CompactionWork, options: JournalOptions): CompactionResult {
    return withDbErrors(this.path, () => runCompaction(this.writeContext, work, options))
  }

  /** Conversations whose newest event is older than `unix` (retention rules); reads every row. */
  conversationsInactiveSince(unix: number): string[] {
    const time = this.schema.hasCreatedAtUnix
      ? `coalesce(created_at_unix, ${CREATED_AT_TO_UNIX})`
      : CREATED_AT_TO_UNIX
    return this.read(() =>
      this.stmt<string>(
        `SELECT conversation_id FROM chat_events GROUP BY conversation_id HAVING max(${time}) < ? ORDER BY conversation_id`,
      )
        .pluck()
        .all(unix),
    ).map(String)
  }

  /** What deleting these conversations (all when null) would remove; changes nothing. */
  planDeletion(conversationIds: string[] | null): DeletionWork {
    return this.read(() => planDeletion((sql) => this.stmt(sql), conversationIds))
  }

  /** Deletes the plan's rows that are still as planned, journaled first (clear takes a full backup too). */
  deleteConversations(work: DeletionWork, options: JournalOptions): DeletionResult {
    return withDbErrors(this.path, () => runDeletion(this.writeContext, work, options))
  }

  /** Undoes one entry of the file's undo journal (see runUndo). */
  undo(entryId: number, options: JournalOptions): UndoResult {
    if (this.readOnly) throw new DbError('read_only', `${this.path} is open read-only; nothing was changed.`)
    return withDbErrors(this.path, () => runUndo(this.writeContext, entryId, options))
  }

  /** Secrets (and with `pii`, personal data) anywhere in the history; changes nothing. */
  scanSecrets(options: ScanOptions = {}, onRow?: () => void): Finding[] {
    return this.read(() => scanHistory(this.db, options, onRow))
  }

  /**
   * Replaces each finding's secret with `[REDACTED:<rule>]`, recorded in the undo journal first. With
   * `shred`: secure_delete for the write, then no copy left this app can reach (see shred.ts), and no undo.
   */
  redact(
    findings: Finding[],
    options: JournalOptions & { shred?: boolean; deleteBackups?: boolean; vacuum?: boolean },
  ): RedactResult {
    const plan = this.read(() => planRedaction(this.db, findings))
    const done = withDbErrors(this.path, () =>
      runReplacement(this.writeContext, plan.steps, { ...options, secureDelete: options.shred }),
    )
    const skippedIds = new Set(plan.skipped.map((s) => s.finding))
    const secrets = [...new Map(findings.map((f) => [f.secret, { value: f.secret, rule: f.rule }])).values()]
    return {
      ...done,
      findingsRedacted: findings.filter((f) => !skippedIds.has(f)).length,
      skipped: plan.skipped.map((s) => ({
        event_id: s.finding.event_id,
        rule: s.finding.rule,
        reason: s.reason,
      })),
      shred: options.shred
        ? withDbErrors(this.path, () =>
            shred(this.db, this.path, options.dataDir, {
              entryId: done.entryId,
              secrets,
              deleteBackups: options.deleteBackups,
              vacuum: options.vacuum,
            }),
          )
        : null,
    }
  }

  /**
   * Deletes for good: the deletion with secure_delete and no backup, then its rows' images leave the
   * journal and the file, its -wal and the app's data folder are searched for pieces of them.
   */
  deleteForGood(
    work: DeletionWork,
    options: JournalOptions & { deleteBackups?: boolean; vacuum?: boolean },
  ): DeletionResult & { shred: ShredReport } {
    const ids = work.conversations.flatMap((c) => c.planned.map(([, quoted]) => quoted))
    const probes = this.read(() => deletedTextProbes(this.db, work))
    const done = this.deleteConversations(work, { ...options, backup: false, secureDelete: true })
    const report = withDbErrors(this.path, () =>
      shred(this.db, this.path, options.dataDir, {
        entryId: done.entryId,
        secrets: [],
        removedIds: ids.map((q) => q.replace(/^'|'$/g, '').replaceAll("''", "'")),
        probes,
        deleteBackups: options.deleteBackups,
        vacuum: options.vacuum,
      }),
    )
    return { ...done, shred: report }
  }

  /** A full copy of the file: to `out`, or into the app's data folder when none is given. */
  backup(dataDir: string, out?: string): { path: string; bytes: number } {
    return this.read(() =>
      out === undefined
        ? backupToDataDir(this.db, this.path, dataDir, 'backup')
        : writeBackup(this.db, this.path, out),
    )
  }

  /** Bytes a VACUUM would give back (free pages), and the file's size now. */
  freeSpace(): { fileBytes: number; freeBytes: number } {
    return this.read(() => {
      const pageSize = this.db.pragma('page_size', { simple: true }) as number
      const free = this.db.pragma('freelist_count', { simple: true }) as number
      const pages = this.db.pragma('page_count', { simple: true }) as number
      return { fileBytes: pages * pageSize, freeBytes: free * pageSize }
    })
  }

  /**
   * Rewrites the file without its free pages. It holds the write lock for as long as it runs (seconds
   * on a big file), so the chat app should be stopped first; the callers say so before asking.
   */
  vacuum(dataDir: string): {
    bytesBefore: number
    bytesAfter: number
    backup: { path: string; bytes: number }
  } {
    if (this.readOnly) throw new DbError('read_only', `${this.path} is open read-only; nothing was changed.`)
    assertSameFile(this.opened)
    const bytesBefore = this.freeSpace().fileBytes
    const backup = this.read(() => backupToDataDir(this.db, this.path, dataDir, 'vacuum'))
    withDbErrors(this.path, () => this.db.exec('VACUUM'))
    return { bytesBefore, bytesAfter: this.freeSpace().fileBytes, backup }
  }

  /** The seed's `handle_clear_session`: deletes every event. */
  clearAll(): boolean {
    this.migrate()
    this.write(() => this.stmt('DELETE FROM chat_events').run())
    return true
  }

  /**
   * The seed's `handle_user_message_persistence`: false when a reply to `requestId` exists already
   * (the caller should reuse it), otherwise stores the user message (once) and returns true.
   */
  handleUserMessagePersistence(conversationId: string, userMessage: string, requestId: string): boolean {
    if (this.getExistingAssistantResponse(conversationId, requestId)) return false
    const added = this.addEvent({
      conversation_id: conversationId,
      type: 'user_message',
      role: 'user',
      content: userMessage,
      extra: { request_id: requestId },
    })
    if (!added && this.getExistingAssistantResponse(conversationId, requestId)) return false
    return true
  }

  getExistingAssistantResponse(conversationId: string, requestId: string): ChatEvent | null {
    const id = this.getLastAssistantReplyId(conversationId, requestId)
    return id === null ? null : this.getEventById(conversationId, id)
  }

  /** How many events of a conversation the model could see (the seed sends the first 50). */
  countModelVisible(conversationId: string): number {
    const sql = `SELECT count(*) FROM chat_events WHERE conversation_id = ? AND ${MODEL_VISIBLE}`
    return this.read(() => this.stmt<number>(sql).pluck().get(this.storedConversationId(conversationId))!)
  }

  /** The seed's `build_llm_conversation`: system prompt, the first 50 model-visible events, the new message. */
  buildLlmConversation(conversationId: string, userMessage: string, systemPrompt: string): LlmMessage[] {
    return buildLlmMessages(
      this.getConversationHistory(conversationId, LLM_HISTORY_LIMIT),
      userMessage,
      systemPrompt,
    )
  }

  /** The seed's `persist_assistant_message`, including its collapse of an exactly doubled text. */
  persistAssistantMessage(
    conversationId: string,
    requestId: string,
    content: string,
    model: string,
    provider = 'unknown',
  ): ChatEvent | null {
    return this.addEvent({
      conversation_id: conversationId,
      type: 'assistant_message',
      role: 'assistant',
      content: collapseDouble(content),
      provider,
      model,
      extra: { user_request_id: requestId },
    })
  }
}
