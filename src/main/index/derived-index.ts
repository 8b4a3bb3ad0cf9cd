// The app's own per-file index of a chat history: per conversation first and last activity, events,
// preview, models, tools, pending replies and problems, bytes per column and type. It lives in the
// app's data folder (never beside or inside the user's file), is built in bounded steps, and follows
// the file as rows are added, deleted, or their rowids reused (the search index's approach).
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { previewOf } from '../db/conversation-list'
import { nativeBinding } from '../db/native-binding'
import { fileIdentity, openDatabase, type FileIdentity } from '../db/open-database'
import { CREATED_AT_TO_UNIX } from '../db/schema'
import { emptyLargeWal } from './index-wal'
import {
  DERIVED_DDL,
  DERIVED_TABLES,
  DERIVED_VERSION,
  derivedFileName,
  sourceRowsSql,
  toolCallsOf,
  type SourceRow,
  type ToolCallEntry,
} from './derived-schema'

const BATCH = 500
/** Rowids compared at a time when looking for deleted rows. */
const RECONCILE_SPAN = 5_000
/** Conversations summarized per round between budget checks. */
const REFRESH_BATCH = 20

export interface DerivedStatus {
  state: 'building' | 'ready'
  /** Rows copied so far, of about `total` (the file's highest rowid). */
  indexed: number
  total: number
  /** Conversations waiting to be summarized again. */
  pendingConversations: number
}

export class DerivedIndex {
  readonly identity: FileIdentity
  /** The index's own file (for its size, and for deleting it). */
  readonly indexPath: string
  readonly db: Database.Database
  private readonly source: Database.Database
  private readonly sourceRows: Database.Statement<[number], SourceRow>
  private lastRowid: number
  private dataVersion = -1
  /** Next rowid from which to look for deleted rows; null when there is nothing to check. */
  private reconcileFrom: number | null = null
  /** Whether the file's row count must be compared with ours (after opening and after others' commits). */
  private checkCount = true
  /** Events in the index, counted once and then kept (a count of a million rows costs ~20 ms). */
  private events: number | undefined
  /** Statements by SQL, prepared once: a statement's native memory is not seen by the GC, and building
   * 10,000 conversations with fresh ones each time peaked at 260 MB. */
  private readonly statements = new Map<string, Database.Statement>()
  private growth: SummaryGrowth | undefined
  /** Whether rows were written since the -wal was last looked at. */
  private written = true

  constructor(
    readonly path: string,
    indexDir: string,
  ) {
    mkdirSync(indexDir, { recursive: true })
    this.identity = fileIdentity(path)
    this.source = openDatabase(path, { mode: 'read' }).db
    const time = this.prepared(
      this.source,
      "SELECT count(*) FROM pragma_table_xinfo('chat_events') WHERE name = 'created_at_unix'",
    )
      .pluck()
      .get()
      ? 'created_at_unix'
      : CREATED_AT_TO_UNIX
    this.sourceRows = this.prepared<[number], SourceRow>(this.source, sourceRowsSql(time, BATCH))
    this.indexPath = join(indexDir, derivedFileName(path, this.identity))
    this.db = new Database(this.indexPath, { nativeBinding: nativeBinding() })
    this.db.pragma('journal_mode = WAL')
    // A cache rebuilt from the file if lost: no fsync.
    this.db.pragma('synchronous = OFF')
    this.db.exec(DERIVED_DDL)
    if (this.stateValue('version') !== DERIVED_VERSION) this.reset()
    this.lastRowid = this.stateValue('last_rowid') ?? 0
    this.write(() => {
      this.prepared(this.db, 'DELETE FROM source').run()
      this.prepared(this.db, 'INSERT INTO source VALUES (?, ?, ?)').run(
        path,
        String(this.identity.dev),
        String(this.identity.ino),
      )
    })
  }

  /** Does up to `budgetMs` of work; true when the index is current. */
  step(budgetMs = 20): boolean {
    const deadline = performance.now() + budgetMs
    this.followReplacedRows()
    let caughtUp = false
    while (performance.now() < deadline) {
      const rows = this.sourceRows.all(this.lastRowid)
      if (rows.length === 0) {
        caughtUp = true
        break
      }
      this.add(rows)
    }
    if (caughtUp && this.checkCount) {
      this.checkCount = false
      // Deleted rows below our last rowid show as a smaller count than ours: only then compare spans.
      if (this.sourceCount() !== this.ownCount()) this.reconcileFrom = 0
    }
    while (this.reconcileFrom !== null && performance.now() < deadline) this.reconcileSpan()
    if (caughtUp && this.reconcileFrom === null) {
      while (performance.now() < deadline && this.refreshSome()) {
        /* summarize until out of time or out of work */
      }
    }
    const current = this.isCurrent()
    if (current && this.written) {
      this.written = false
      emptyLargeWal(this.db, this.indexPath)
    }
    return current
  }

  /** Builds until current; `onProgress` is called between steps (for a progress line). */
  buildAll(onProgress?: (status: DerivedStatus) => void, budgetMs = 50): void {
    while (!this.step(budgetMs)) onProgress?.(this.status())
  }

  /** Whether another connection committed since we last looked (then the file is compared again). */
  noticeChanges(): boolean {
    const version = this.source.pragma('data_version', { simple: true }) as number
    if (version === this.dataVersion) return false
    this.dataVersion = version
    this.checkCount = true
    return true
  }

  status(): DerivedStatus {
    const total = this.maxSourceRowid()
    return {
      state: this.isCurrent() ? 'ready' : 'building',
      indexed: Math.min(this.lastRowid, total),
      total,
      pendingConversations: this.prepared(this.db, 'SELECT count(*) FROM dirty').pluck().get() as number,
    }
  }

  close(): void {
    this.source.close()
    this.db.close()
  }

  private isCurrent(): boolean {
    return (
      !this.checkCount &&
      this.reconcileFrom === null &&
      this.maxSourceRowid() <= this.lastRowid &&
      this.prepared(this.db, 'SELECT 1 FROM dirty LIMIT 1').get() === undefined
    )
  }

  private maxSourceRowid(): number {
    return (
      (this.prepared(this.source, 'SELECT max(rowid) FROM chat_events').pluck().get() as number | null) ?? 0
    )
  }

  private sourceCount(): number {
    return this.prepared(this.source, 'SELECT count(*) FROM chat_events').pluck().get() as number
  }

  private ownCount(): number {
    this.events ??= this.prepared(this.db, 'SELECT count(*) FROM events').pluck().get() as number
    return this.events
  }

  private prepared<P extends unknown[] | object = unknown[], R = unknown>(
    db: Database.Database,
    sql: string,
  ): Database.Statement<P extends unknown[] ? P : [P], R> {
    const key = `${db === this.db ? 'index' : 'file'}\u0000${sql}`
    let statement = this.statements.get(key)
    if (!statement) {
      statement = db.prepare(sql)
      this.statements.set(key, statement)
    }
    return statement as unknown as Database.Statement<P extends unknown[] ? P : [P], R>
  }

  /** A transaction; when it fails, the kept count of events is counted again. */
  private write(work: () => void): void {
    this.written = true
    try {
      this.db.transaction(work)()
    } catch (error) {
      this.events = undefined
      throw error
    }
  }

  private stateValue(key: string): number | undefined {
    return this.prepared(this.db, 'SELECT value FROM state WHERE key = ?').pluck().get(key) as
      number | undefined
  }

  private setState(key: string, value: number): void {
    this.prepared(this.db, 'INSERT OR REPLACE INTO state VALUES (?, ?)').run(key, value)
  }

  /** An index of another version: its tables dropped (their columns may differ) and made again. */
  private reset(): void {
    this.write(() => {
      for (const table of DERIVED_TABLES) this.db.exec(`DROP TABLE IF EXISTS ${table}`)
      this.db.exec(DERIVED_DDL)
      this.setState('version', DERIVED_VERSION)
    })
  }

  private add(rows: SourceRow[]): void {
    const insert = this.prepared(
      this.db,
      `INSERT OR REPLACE INTO events VALUES (@rowid, @event_id, @conversation_id, @seq, @type, @model, @time,
         @request_id, @reply_to, @tool_call_id, @b_content, @b_extra, @b_raw, @b_tool_calls)`,
    )
    const call = this.prepared(this.db, 'INSERT INTO calls VALUES (?, ?, ?, ?)')
    const grow = (this.growth ??= new SummaryGrowth(this.db))
    const type = this.prepared(
      this.db,
      `INSERT INTO types VALUES (@type, 1, @b_content, @b_extra, @b_raw, @b_tool_calls)
       ON CONFLICT (type) DO UPDATE SET events = events + 1, b_content = b_content + @b_content,
         b_extra = b_extra + @b_extra, b_raw = b_raw + @b_raw, b_tool_calls = b_tool_calls + @b_tool_calls`,
    )
    this.write(() => {
      // A rowid we held (possible after a reset of lastRowid) is forgotten first, with its bytes.
      this.forget(rows[0]!.rowid, rows.at(-1)!.rowid)
      for (const row of rows) {
        const { tool_calls_json: json, ...event } = row
        if (this.events !== undefined) this.events++
        insert.run(event)
        const calls = toolCallsOf(json)
        for (const c of calls) call.run(row.rowid, row.conversation_id, c.call_id, c.name)
        grow.add(row, calls)
        type.run({ ...event, type: row.type ?? '' })
      }
      this.lastRowid = rows.at(-1)!.rowid
      this.setState('last_rowid', this.lastRowid)
    })
  }

  /** Removes the events matching `where` (an SQL condition on rowid), keeping totals and summaries right. */
  private forget(from: number, to: number): void {
    const where = 'rowid >= @from AND rowid <= @to'
    const range = { from, to }
    this.prepared(
      this.db,
      `INSERT INTO dirty SELECT DISTINCT conversation_id, 1 FROM events WHERE ${where} AND true
         ON CONFLICT (conversation_id) DO UPDATE SET full = 1`,
    ).run(range)
    this.prepared(
      this.db,
      `UPDATE types SET events = events - g.n, b_content = types.b_content - g.c, b_extra = types.b_extra - g.e,
           b_raw = types.b_raw - g.r, b_tool_calls = types.b_tool_calls - g.t
         FROM (SELECT coalesce(type, '') AS type, count(*) AS n, sum(b_content) AS c, sum(b_extra) AS e,
           sum(b_raw) AS r, sum(b_tool_calls) AS t FROM events WHERE ${where} GROUP BY 1) AS g
         WHERE types.type = g.type`,
    ).run(range)
    this.prepared(this.db, 'DELETE FROM types WHERE events <= 0').run()
    this.prepared(this.db, `DELETE FROM calls WHERE ${where}`).run(range)
    const { changes } = this.prepared(this.db, `DELETE FROM events WHERE ${where}`).run(range)
    if (this.events !== undefined) this.events -= changes
  }

  /** Rows deleted at the end of the file, or a rowid reused by a new row: forget from there on. */
  private followReplacedRows(): void {
    let from = Math.min(this.lastRowid, this.maxSourceRowid())
    while (from > 0) {
      const ours = this.prepared(this.db, 'SELECT event_id FROM events WHERE rowid = ?').pluck().get(from)
      const theirs = this.prepared(this.source, 'SELECT CAST(id AS TEXT) FROM chat_events WHERE rowid = ?')
        .pluck()
        .get(from)
      if (ours !== undefined && ours === theirs) break
      from =
        (this.prepared(this.db, 'SELECT max(rowid) FROM events WHERE rowid < ?').pluck().get(from) as
          number | null) ?? 0
    }
    if (from < this.lastRowid) {
      this.write(() => {
        this.forget(from + 1, Number.MAX_SAFE_INTEGER)
        this.lastRowid = from
        this.setState('last_rowid', from)
      })
    }
  }

  /** Compares one span of rowids; rows the file no longer has leave the index. */
  private reconcileSpan(): void {
    const from = this.reconcileFrom!
    const to = Math.min(from + RECONCILE_SPAN, this.lastRowid)
    const span = (db: Database.Database, table: string) =>
      this.prepared(db, `SELECT rowid FROM ${table} WHERE rowid > ? AND rowid <= ?`)
        .pluck()
        .all(from, to) as number[]
    const count = (db: Database.Database, table: string) =>
      this.prepared(db, `SELECT count(*) FROM ${table} WHERE rowid > ? AND rowid <= ?`)
        .pluck()
        .get(from, to) as number
    if (count(this.db, 'events') !== count(this.source, 'chat_events')) {
      const present = new Set(span(this.source, 'chat_events'))
      const gone = span(this.db, 'events').filter((rowid) => !present.has(rowid))
      this.write(() => {
        for (const rowid of gone) this.forget(rowid, rowid)
      })
    }
    this.reconcileFrom = to >= this.lastRowid ? null : to
  }

  /** Summarizes a few changed conversations; false when none is left. */
  private refreshSome(): boolean {
    const dirty = this.prepared<[], { conversation_id: string; full: number }>(
      this.db,
      `SELECT * FROM dirty LIMIT ${REFRESH_BATCH}`,
    ).all()
    if (dirty.length === 0) return false
    this.write(() => {
      for (const { conversation_id: id, full } of dirty) {
        if (full) this.summarize(id)
        else this.updatePreview(id)
        this.prepared(this.db, 'DELETE FROM dirty WHERE conversation_id = ?').run(id)
      }
    })
    return true
  }

  /** Everything about one conversation, from its rows in the index. */
  private summarize(id: string): void {
    const totals = this.prepared<[string], Record<string, number | null>>(
      this.db,
      `SELECT count(*) AS events, min(time) AS first_unix, max(time) AS last_unix,
           coalesce(sum(b_content), 0) AS b_content, coalesce(sum(b_extra), 0) AS b_extra,
           coalesce(sum(b_raw), 0) AS b_raw, coalesce(sum(b_tool_calls), 0) AS b_tool_calls
         FROM events WHERE conversation_id = ?`,
    ).get(id)!
    this.prepared(this.db, 'DELETE FROM facets WHERE conversation_id = ?').run(id)
    if (totals.events === 0) {
      this.prepared(this.db, 'DELETE FROM conversations WHERE conversation_id = ?').run(id)
      return
    }
    const column = (sql: string) => this.prepared(this.db, sql).pluck().all(id) as string[]
    const models = column(
      'SELECT DISTINCT model FROM events WHERE conversation_id = ? AND model IS NOT NULL ORDER BY model',
    )
    const tools = column(
      'SELECT DISTINCT name FROM calls WHERE conversation_id = ? AND name IS NOT NULL ORDER BY name',
    )
    this.prepared(
      this.db,
      `INSERT OR REPLACE INTO conversations VALUES (@id, @first_unix, @last_unix, @events, '', @models,
           @tools, 0, 0, 0, 0, @b_content, @b_extra, @b_raw, @b_tool_calls, @folded_id, '')`,
    ).run({
      ...totals,
      id,
      models: JSON.stringify(models),
      tools: JSON.stringify(tools),
      folded_id: id.toLowerCase(),
    })
    const facet = this.prepared(this.db, 'INSERT OR IGNORE INTO facets VALUES (?, ?, ?)')
    for (const model of models) facet.run('model', model, id)
    for (const tool of tools) facet.run('tool', tool, id)
    this.updateOpenItems(id)
  }

  /**
   * Pending replies, unanswered tool calls and the preview of a conversation summarized whole. Read
   * through partial indexes, so it costs the conversation's chunks and calls, not all its rows; rows
   * added later change these counts as they come (SummaryGrowth).
   */
  private updateOpenItems(id: string): void {
    const pending = this.prepared<{ id: string }, { chunks: number; replies: number }>(
      this.db,
      `SELECT count(*) AS chunks, count(DISTINCT reply_to) AS replies FROM events AS d
         WHERE d.conversation_id = @id AND d.reply_to IS NOT NULL AND NOT EXISTS (SELECT 1 FROM events AS r
           WHERE r.conversation_id = @id AND r.request_id = 'assistant:' || d.reply_to)`,
    ).get({ id })!
    const calls = this.prepared<{ id: string }, { total: number; unanswered: number }>(
      this.db,
      `SELECT count(*) AS total, count(*) FILTER (WHERE c.call_id IS NOT NULL AND NOT EXISTS (SELECT 1
           FROM events AS r WHERE r.conversation_id = @id AND r.tool_call_id = c.call_id)) AS unanswered
         FROM calls AS c WHERE c.conversation_id = @id`,
    ).get({ id })!
    this.prepared(
      this.db,
      `UPDATE conversations SET tool_calls = @tool_calls, pending_deltas = @pending_deltas,
           pending_replies = @pending_replies, calls_without_result = @calls_without_result
         WHERE conversation_id = @id`,
    ).run({
      id,
      tool_calls: calls.total,
      pending_deltas: pending.chunks,
      pending_replies: pending.replies,
      calls_without_result: calls.unanswered,
    })
    this.updatePreview(id)
  }

  /** The preview (the first user message by seq), which a row added with a lower seq can change. */
  private updatePreview(id: string): void {
    const preview = this.previewOf(id)
    this.prepared(
      this.db,
      'UPDATE conversations SET preview = @preview, folded_preview = @folded_preview WHERE conversation_id = @id',
    ).run({ id, preview, folded_preview: preview.toLowerCase() })
  }

  /** The first user message (by seq), read from the file by its rowid: the index keeps no content. */
  private previewOf(id: string): string {
    const rowid = this.prepared(
      this.db,
      "SELECT rowid FROM events WHERE conversation_id = ? AND type = 'user_message' ORDER BY seq, rowid LIMIT 1",
    )
      .pluck()
      .get(id) as number | undefined
    if (rowid === undefined) return ''
    const text = this.prepared(
      this.source,
      'SELECT substr(CAST(content AS TEXT), 1, 4000) FROM chat_events WHERE rowid = ?',
    )
      .pluck()
      .get(rowid) as string | null | undefined
    return previewOf(text ?? null)
  }
}

/**
 * Rows added to a conversation already summarized go into its totals, models, tools and open items
 * (pending chunks and replies, calls without a result) as they come, each row looked up through the
 * indexes of the ids it carries, so a long conversation that grows is never read whole again (counting
 * its 125,000 calls again took ~250 ms per catch-up on a 10M-event file). A conversation not summarized
 * yet (or marked for it) is summarized from its rows once they are in. The counts are those
 * updateOpenItems makes: tests compare the two.
 */
class SummaryGrowth {
  private readonly summary: Database.Statement<[string], { models: string; tools: string }>
  private readonly full: Database.Statement<[string], number>
  private readonly markFull: Database.Statement<[string]>
  private readonly markOpen: Database.Statement<[string]>
  private readonly grow: Database.Statement<Record<string, unknown>>
  private readonly facet: Database.Statement<[string, string, string]>
  /** Another row (not `rowid`) holds this request_id / tool_call_id / reply_to. */
  private readonly otherRequest: Database.Statement<[string, string, number]>
  private readonly otherResult: Database.Statement<[string, string, number]>
  private readonly otherChunk: Database.Statement<[string, string, number]>
  /** Any row, this one included, answers this call id / reply. */
  private readonly anyResult: Database.Statement<[string, string]>
  private readonly anyReply: Database.Statement<[string, string]>
  /** Calls with this id in rows before this one; chunks of this reply in other rows. */
  private readonly callsWithId: Database.Statement<[string, string, number], number>
  private readonly chunksOf: Database.Statement<[string, string, number], number>

  constructor(db: Database.Database) {
    this.summary = db.prepare('SELECT models, tools FROM conversations WHERE conversation_id = ?')
    this.full = db.prepare<[string], number>('SELECT full FROM dirty WHERE conversation_id = ?').pluck()
    this.markFull = db.prepare(
      'INSERT INTO dirty VALUES (?, 1) ON CONFLICT (conversation_id) DO UPDATE SET full = 1',
    )
    this.markOpen = db.prepare('INSERT OR IGNORE INTO dirty VALUES (?, 0)')
    this.facet = db.prepare('INSERT OR IGNORE INTO facets VALUES (?, ?, ?)')
    this.grow = db.prepare(
      `UPDATE conversations SET events = events + 1,
         first_unix = CASE WHEN @time IS NOT NULL AND (first_unix IS NULL OR @time < first_unix) THEN @time ELSE first_unix END,
         last_unix = CASE WHEN @time IS NOT NULL AND (last_unix IS NULL OR @time > last_unix) THEN @time ELSE last_unix END,
         models = @models, tools = @tools, b_content = b_content + @b_content, b_extra = b_extra + @b_extra,
         b_raw = b_raw + @b_raw, b_tool_calls = b_tool_calls + @b_tool_calls,
         tool_calls = tool_calls + @calls, calls_without_result = calls_without_result + @unanswered,
         pending_deltas = pending_deltas + @chunks, pending_replies = pending_replies + @replies
       WHERE conversation_id = @conversation_id`,
    )
    const exists = (where: string) =>
      db.prepare(`SELECT 1 FROM events WHERE conversation_id = ? AND ${where} LIMIT 1`)
    this.otherRequest = exists('request_id = ? AND rowid != ?')
    this.otherResult = exists('tool_call_id = ? AND rowid != ?')
    this.otherChunk = exists('reply_to = ? AND rowid != ?')
    this.anyResult = exists('tool_call_id = ?')
    this.anyReply = exists('request_id = ?')
    this.callsWithId = db
      .prepare<[string, string, number], number>(
        'SELECT count(*) FROM calls WHERE conversation_id = ? AND call_id = ? AND rowid != ?',
      )
      .pluck()
    this.chunksOf = db
      .prepare<[string, string, number], number>(
        'SELECT count(*) FROM events WHERE conversation_id = ? AND reply_to = ? AND rowid != ?',
      )
      .pluck()
  }

  /** `row` and its `calls` are in the index already. */
  add(row: SourceRow, calls: ToolCallEntry[]): void {
    const id = row.conversation_id
    const summary = this.summary.get(id)
    if (!summary || this.full.get(id) === 1) {
      this.markFull.run(id)
      return
    }
    const merged = (json: string, more: (string | null)[]) =>
      JSON.stringify(
        [...new Set([...(JSON.parse(json) as string[]), ...more.filter((v) => v !== null)])].sort(),
      )
    this.grow.run({
      ...row,
      models: merged(summary.models, [row.model]),
      tools: merged(
        summary.tools,
        calls.map((c) => c.name),
      ),
      ...this.openItems(row, calls),
    })
    if (row.model !== null) this.facet.run('model', row.model, id)
    for (const c of calls) if (c.name !== null) this.facet.run('tool', c.name, id)
    this.markOpen.run(id)
  }

  /**
   * How the row changes the open items. What it settles first: a result settles the calls before it
   * with its id (unless another result did already), a compacted reply (`assistant:<id>`) the chunks
   * of that reply (unless another reply did). Then what it opens: each of its calls that no row
   * answers, and a chunk no row answers (a new pending reply when it is the reply's first chunk).
   */
  private openItems(row: SourceRow, calls: ToolCallEntry[]) {
    const id = row.conversation_id
    const items = { calls: calls.length, unanswered: 0, chunks: 0, replies: 0 }
    const k = row.tool_call_id
    if (k !== null && !this.otherResult.get(id, k, row.rowid))
      items.unanswered -= this.callsWithId.get(id, k, row.rowid)!
    const request = row.request_id
    if (request?.startsWith('assistant:') && !this.otherRequest.get(id, request, row.rowid)) {
      const settled = this.chunksOf.get(id, request.slice('assistant:'.length), row.rowid)!
      items.chunks -= settled
      if (settled > 0) items.replies -= 1
    }
    for (const c of calls) if (c.call_id !== null && !this.anyResult.get(id, c.call_id)) items.unanswered++
    const reply = row.reply_to
    if (reply !== null && !this.anyReply.get(id, `assistant:${reply}`)) {
      items.chunks++
      if (!this.otherChunk.get(id, reply, row.rowid)) items.replies++
    }
    return items
  }
}
