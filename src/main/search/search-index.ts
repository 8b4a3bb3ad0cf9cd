// Full-text search over a chat history without writing to it: an FTS5 index in the app's own data
// folder, keyed by the file's identity, built in small steps and kept current as the file changes.
import { createHash } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { SNIPPET_MARK, type SearchHit, type SearchStatus } from '../../shared/api'
import { nativeBinding } from '../db/native-binding'
import { parseJsonCell } from '../db/json-cell'
import { fileIdentity, openDatabase, type FileIdentity } from '../db/open-database'
import { CREATED_AT_TO_UNIX } from '../db/schema'
import { emptyLargeWal } from '../index/index-wal'
import {
  DETAIL_COLUMNS_SQL,
  DETAIL_DDL,
  dropIndexWithoutDetail,
  detailText,
  type DetailColumns,
} from '../index/search-detail'

/** Text indexed per event; longer content is searched by its start. */
export const INDEXED_CHARS = 100_000
const BATCH = 200
/** Pages of segment merging per batch (FTS5's 'merge' command): keeps each step short. */
const MERGE_PAGES = 50
/** Rowids compared at a time when looking for deleted rows (counting them reads their pages). */
const RECONCILE_SPAN = 2_000
export const MARK_START = SNIPPET_MARK.start
export const MARK_END = SNIPPET_MARK.end

export interface SearchQuery {
  text: string
  conversationId?: string | null
  type?: string | null
  model?: string | null
  provider?: string | null
  fromUnix?: number | null
  toUnix?: number | null
  limit: number
}

/** A query's filters as the statements' parameters (NULL: no filter). */
export const filterParams = (query: Omit<SearchQuery, 'text' | 'limit'>) => ({
  conversation: query.conversationId ?? null,
  type: query.type ?? null,
  model: query.model ?? null,
  provider: query.provider ?? null,
  from: query.fromUnix ?? null,
  to: query.toUnix ?? null,
})

interface SourceRow {
  rowid: number
  id: string
  conversation_id: string
  seq: number
  type: string
  model: string | null
  provider: string | null
  time: number | null
  content: string | null
}

/** A source row with the columns the detail table (tool names, arguments, ids) is made of. */
type SourceRowWithDetail = SourceRow & DetailColumns

/** Where the search index of the file at `sourcePath` lives (keyed by its path and identity). */
export function searchIndexPath(
  sourcePath: string,
  indexDir: string,
  identity = fileIdentity(sourcePath),
): string {
  const key = createHash('sha256')
    .update(`${sourcePath}\0${identity.dev}\0${identity.ino}`)
    .digest('hex')
    .slice(0, 24)
  return join(indexDir, `${key}.search.db`)
}

export class SearchIndex {
  /** The file indexed (its device and inode): another file renamed to its path is another index. */
  readonly identity: FileIdentity
  private readonly index: Database.Database
  private readonly source: Database.Database
  private readonly sourceRows: Database.Statement<[number], SourceRowWithDetail>
  private lastRowid: number
  private dataVersion = -1
  /** Whether rows were written since the -wal was last looked at. */
  private written = true
  private readonly indexPath: string
  /** Next rowid from which to look for deleted rows, or null when there is nothing to check. */
  private reconcileFrom: number | null = 0

  constructor(
    readonly path: string,
    indexDir: string,
  ) {
    const sourcePath = path
    mkdirSync(indexDir, { recursive: true })
    this.identity = fileIdentity(sourcePath)
    this.source = openDatabase(sourcePath, { mode: 'read' }).db
    const time = this.source
      .prepare("SELECT count(*) FROM pragma_table_xinfo('chat_events') WHERE name = 'created_at_unix'")
      .pluck()
      .get()
      ? 'created_at_unix'
      : CREATED_AT_TO_UNIX
    // Every column as the index stores it, whatever the file holds: text as text (BLOBs and numbers
    // cast), seq and time only when they are numbers. One odd row must not stop the index.
    this.sourceRows = this.source.prepare(
      `SELECT rowid, CAST(id AS TEXT) AS id, CAST(conversation_id AS TEXT) AS conversation_id,
         CASE WHEN seq < '' THEN seq ELSE 0 END AS seq, CAST(type AS TEXT) AS type,
         CAST(model AS TEXT) AS model, CAST(provider AS TEXT) AS provider,
         CASE WHEN ${time} < '' THEN ${time} END AS time,
         substr(CAST(content AS TEXT), 1, ${INDEXED_CHARS}) AS content, ${DETAIL_COLUMNS_SQL}
       FROM chat_events WHERE rowid > ? ORDER BY rowid LIMIT ${BATCH}`,
    )
    const indexPath = searchIndexPath(sourcePath, indexDir, this.identity)
    this.indexPath = indexPath
    this.index = new Database(indexPath, {
      nativeBinding: nativeBinding(),
    })
    this.index.pragma('journal_mode = WAL')
    // A cache we can rebuild from the file: no fsync (a checkpoint's took ~100 ms here).
    this.index.pragma('synchronous = OFF')
    dropIndexWithoutDetail(this.index)
    this.index.exec(`
      CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(text, tokenize = 'unicode61 remove_diacritics 2');
      CREATE TABLE IF NOT EXISTS docs (rowid INTEGER PRIMARY KEY, event_id TEXT NOT NULL, conversation_id TEXT NOT NULL,
        seq INTEGER, type TEXT, model TEXT, provider TEXT, created_at_unix INTEGER);
      CREATE INDEX IF NOT EXISTS docs_conversation ON docs (conversation_id, seq);
      CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value INTEGER);
      CREATE TABLE IF NOT EXISTS skipped (rowid INTEGER PRIMARY KEY, reason TEXT NOT NULL);`)
    this.index.exec(DETAIL_DDL)
    // Which history this is, so its index can be removed once that file is gone (index-files.ts).
    this.index.exec(
      'CREATE TABLE IF NOT EXISTS source (path TEXT NOT NULL, dev TEXT NOT NULL, ino TEXT NOT NULL)',
    )
    this.index.transaction(() => {
      this.index.prepare('DELETE FROM source').run()
      this.index
        .prepare('INSERT INTO source VALUES (?, ?, ?)')
        .run(sourcePath, String(this.identity.dev), String(this.identity.ino))
    })()
    // FTS5 merges its segments inside inserts by default, at times for hundreds of milliseconds;
    // instead each step asks for a bounded amount of merging.
    this.index.prepare("INSERT INTO fts (fts, rank) VALUES ('automerge', 0)").run()
    this.lastRowid =
      (this.index.prepare("SELECT value FROM state WHERE key = 'last_rowid'").pluck().get() as number) ?? 0
  }

  /** The index's own database, for queries over both tables (see src/main/index/search-find.ts). */
  get database(): Database.Database {
    return this.index
  }

  /**
   * Does up to `budgetMs` of work: new rows first, then a check for deleted ones. Returns true when
   * the index is current. Small steps keep the process answering while a big file is indexed.
   */
  step(budgetMs = 20): boolean {
    const deadline = performance.now() + budgetMs
    this.followReplacedRows()
    while (performance.now() < deadline) {
      const rows = this.sourceRows.all(this.lastRowid)
      if (rows.length === 0) break
      this.add(rows)
      this.index.prepare("INSERT INTO fts (fts, rank) VALUES ('merge', ?)").run(MERGE_PAGES)
    }
    while (this.reconcileFrom !== null && performance.now() < deadline) this.reconcileSpan()
    const current = this.isCurrent()
    if (current && this.written) {
      this.written = false
      emptyLargeWal(this.index, this.indexPath)
    }
    return current
  }

  /** Whether another connection committed since we last looked (then deleted rows are looked for). */
  noticeChanges(): boolean {
    const version = this.source.pragma('data_version', { simple: true }) as number
    if (version === this.dataVersion) return false
    this.dataVersion = version
    this.reconcileFrom = 0
    return true
  }

  status(): SearchStatus {
    const total =
      (this.source.prepare('SELECT max(rowid) FROM chat_events').pluck().get() as number | null) ?? 0
    const indexed = Math.min(this.lastRowid, total)
    return { state: this.isCurrent() ? 'ready' : 'building', indexed, total }
  }

  /**
   * Hits newest first (inside one conversation: in seq order). Ranking by relevance reads every match
   * (about a second for a common word in 1M events); newest first stops after `limit`.
   */
  search(query: SearchQuery): SearchHit[] {
    const match = toMatchExpression(query.text)
    if (!match) return []
    const inConversation = query.conversationId != null
    return this.index
      .prepare<Record<string, unknown>, SearchHit>(
        `SELECT d.conversation_id, d.event_id, d.seq, d.type, d.model, d.provider, d.created_at_unix,
           snippet(fts, 0, '${MARK_START}', '${MARK_END}', '…', 14) AS snippet
         FROM fts JOIN docs AS d ON d.rowid = fts.rowid
         WHERE fts MATCH @match
           AND (@conversation IS NULL OR d.conversation_id = @conversation)
           AND (@type IS NULL OR d.type = @type) AND (@model IS NULL OR d.model = @model)
           AND (@provider IS NULL OR d.provider = @provider)
           AND (@from IS NULL OR d.created_at_unix >= @from) AND (@to IS NULL OR d.created_at_unix <= @to)
         ORDER BY ${inConversation ? 'd.seq' : 'fts.rowid DESC'} LIMIT @limit`,
      )
      .all({ match, ...filterParams(query), limit: query.limit })
  }

  close(): void {
    this.source.close()
    this.index.close()
  }

  private isCurrent(): boolean {
    const max = this.source.prepare('SELECT max(rowid) FROM chat_events').pluck().get() as number | null
    return this.reconcileFrom === null && (max ?? 0) <= this.lastRowid
  }

  private add(rows: SourceRowWithDetail[]): void {
    const doc = this.index.prepare(
      'INSERT OR REPLACE INTO docs VALUES (@rowid, @id, @conversation_id, @seq, @type, @model, @provider, @time)',
    )
    const text = this.index.prepare('INSERT INTO fts (rowid, text) VALUES (?, ?)')
    const forget = this.index.prepare('DELETE FROM fts WHERE rowid = ?')
    const detail = this.index.prepare('INSERT INTO detail (rowid, words) VALUES (?, ?)')
    const forgetDetail = this.index.prepare('DELETE FROM detail WHERE rowid = ?')
    const skip = this.index.prepare('INSERT OR REPLACE INTO skipped VALUES (?, ?)')
    this.index.transaction(() => {
      for (const row of rows) {
        forget.run(row.rowid)
        forgetDetail.run(row.rowid)
        // A row that cannot be indexed is left out and recorded; the rows after it still are indexed.
        try {
          doc.run(row)
          text.run(row.rowid, searchableText(row.content))
          const details = detailText(row)
          if (details) detail.run(row.rowid, details)
        } catch (error) {
          skip.run(row.rowid, error instanceof Error ? error.message : String(error))
        }
      }
      this.lastRowid = rows.at(-1)!.rowid
      this.index.prepare("INSERT OR REPLACE INTO state VALUES ('last_rowid', ?)").run(this.lastRowid)
    })()
    this.written = true
  }

  /** Rows deleted at the end of the file, or a rowid reused by a new row: forget from there on. */
  private followReplacedRows(): void {
    const max =
      (this.source.prepare('SELECT max(rowid) FROM chat_events').pluck().get() as number | null) ?? 0
    let from = Math.min(this.lastRowid, max)
    while (from > 0) {
      const ours = this.index.prepare('SELECT event_id FROM docs WHERE rowid = ?').pluck().get(from)
      const theirs = this.source.prepare('SELECT id FROM chat_events WHERE rowid = ?').pluck().get(from)
      if (ours !== undefined && ours === theirs) break
      from =
        (this.index.prepare('SELECT max(rowid) FROM docs WHERE rowid < ?').pluck().get(from) as
          number | null) ?? 0
    }
    if (from < this.lastRowid) this.forgetAfter(from)
  }

  private forgetAfter(rowid: number): void {
    this.index.transaction(() => {
      this.index.prepare('DELETE FROM fts WHERE rowid > ?').run(rowid)
      this.index.prepare('DELETE FROM detail WHERE rowid > ?').run(rowid)
      this.index.prepare('DELETE FROM docs WHERE rowid > ?').run(rowid)
      this.lastRowid = rowid
      this.index.prepare("INSERT OR REPLACE INTO state VALUES ('last_rowid', ?)").run(rowid)
    })()
    this.written = true
  }

  /** Compares one span of rowids; rows the file no longer has leave the index. */
  private reconcileSpan(): void {
    const from = this.reconcileFrom!
    const to = Math.min(from + RECONCILE_SPAN, this.lastRowid)
    const count = (db: Database.Database, table: string) =>
      db
        .prepare(`SELECT count(*) FROM ${table} WHERE rowid > ? AND rowid <= ?`)
        .pluck()
        .get(from, to) as number
    if (count(this.index, 'docs') !== count(this.source, 'chat_events')) {
      const present = new Set(
        this.source
          .prepare('SELECT rowid FROM chat_events WHERE rowid > ? AND rowid <= ?')
          .pluck()
          .all(from, to) as number[],
      )
      const ours = this.index
        .prepare('SELECT rowid FROM docs WHERE rowid > ? AND rowid <= ?')
        .pluck()
        .all(from, to) as number[]
      const gone = ours.filter((rowid) => !present.has(rowid))
      this.index.transaction(() => {
        for (const rowid of gone) {
          this.index.prepare('DELETE FROM fts WHERE rowid = ?').run(rowid)
          this.index.prepare('DELETE FROM detail WHERE rowid = ?').run(rowid)
          this.index.prepare('DELETE FROM docs WHERE rowid = ?').run(rowid)
        }
      })()
      this.written = true
    }
    this.reconcileFrom = to >= this.lastRowid ? null : to
  }
}

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/g

/** Each word as an exact FTS5 string (no query syntax from the user), the last one as a prefix. */
export function toMatchExpression(text: string): string | undefined {
  // FTS5 ends a string at NUL ("unterminated string"); no control character is part of a word anyway.
  const words = text.replace(CONTROL, ' ').split(/\s+/).filter(Boolean)
  if (words.length === 0) return undefined
  const quoted = words.map((w) => `"${w.replaceAll('"', '""')}"`)
  if (!/\s$/.test(text)) quoted[quoted.length - 1] += '*'
  return quoted.join(' ')
}

/** Text parts of multimodal content, or the text itself. */
function searchableText(content: string | null): string {
  if (typeof content !== 'string' || !content.startsWith('[')) return content ?? ''
  const parsed = parseJsonCell(content)
  if (!parsed || !Array.isArray(parsed.value)) return content
  return parsed.value.map((p) => (typeof p === 'string' ? p : isTextPart(p) ? p.text : '')).join(' ')
}

const isTextPart = (p: unknown): p is { text: string } =>
  typeof p === 'object' && p !== null && typeof (p as { text?: unknown }).text === 'string'
