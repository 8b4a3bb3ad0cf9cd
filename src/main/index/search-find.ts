// Search over both tables of the search index (the text, and the detail: tool names, arguments, ids),
// with real totals, pages past the first, and newest-first or relevance (bm25) order.
import type Database from 'better-sqlite3'
import { filterParams, type SearchQuery } from '../search/search-index'
import { SNIPPET_MARK, type SearchHit } from '../../shared/api'
import { toQueryExpression } from './search-syntax'

/**
 * Relevance ranks at most this many matches (the newest ones) per table; the result says when it
 * capped. bm25 reads each match's positions: 10,000 took ~27 ms, 5,000 ~13 ms on 100,000 events here.
 */
export const RANK_CAP = 5_000

export interface FindQuery extends SearchQuery {
  order?: 'newest' | 'relevance'
  offset?: number
  /** How many matches relevance ranks per table (RANK_CAP; tests set it low). */
  rankCap?: number
}

export interface FoundHit extends SearchHit {
  /** Where the match is: the event's text, or its tool calls and ids. */
  matched: 'text' | 'detail'
  /** bm25 score (lower is better) when ordered by relevance. */
  score: number | null
}

export interface FindResult {
  hits: FoundHit[]
  /** Every matching event, whatever the page. */
  total: number
  order: 'newest' | 'relevance'
  /** Relevance only: true when more matched than were ranked, so better hits may exist among older ones. */
  capped: boolean
  /** Matches ranked (relevance), or 0. */
  ranked: number
  /** The FTS5 expression run (null when the text held no word). */
  expression: string | null
}

const TABLES = ['fts', 'detail'] as const
type Table = (typeof TABLES)[number]

const FILTERS = `(@conversation IS NULL OR d.conversation_id = @conversation)
  AND (@type IS NULL OR d.type = @type) AND (@model IS NULL OR d.model = @model)
  AND (@provider IS NULL OR d.provider = @provider)
  AND (@from IS NULL OR d.created_at_unix >= @from) AND (@to IS NULL OR d.created_at_unix <= @to)`

interface Match {
  rowid: number
  score: number
  table: Table
}

export function find(db: Database.Database, query: FindQuery): FindResult {
  const order = query.order ?? 'newest'
  const match = toQueryExpression(query.text)
  if (!match) return { hits: [], total: 0, order, capped: false, ranked: 0, expression: null }
  const params = { match, ...filterParams(query) }
  const offset = query.offset ?? 0
  const total = countMatches(db, params)
  // Newest first: each table gives its newest matches up to the end of the page, merged by rowid.
  // Relevance: each table scores its newest RANK_CAP matches; a row found in both keeps its best score.
  const take = order === 'newest' ? offset + query.limit : (query.rankCap ?? RANK_CAP)
  const best = new Map<number, Match>()
  // Events are looked up only to filter them, and scores computed only to rank.
  const filtered = isFiltered(params)
  for (const table of TABLES) {
    const rows = db
      .prepare<Record<string, unknown>, { rowid: number; score: number }>(
        `SELECT ${table}.rowid AS rowid, ${order === 'relevance' ? `bm25(${table})` : '0'} AS score
         FROM ${table} ${filtered ? `JOIN docs AS d ON d.rowid = ${table}.rowid` : ''}
         WHERE ${table} MATCH @match ${filtered ? `AND ${FILTERS}` : ''}
         ORDER BY ${table}.rowid DESC LIMIT @take`,
      )
      .all({ ...params, take })
    for (const r of rows) {
      const had = best.get(r.rowid)
      if (!had || r.score < had.score) best.set(r.rowid, { ...r, table })
    }
  }
  const ranked = [...best.values()].sort((a, b) =>
    order === 'newest' ? b.rowid - a.rowid : a.score - b.score || b.rowid - a.rowid,
  )
  const page = ranked.slice(offset, offset + query.limit)
  return {
    hits: page.map((m) => hitOf(db, m, match, order)),
    total,
    order,
    capped: order === 'relevance' && total > ranked.length,
    ranked: order === 'relevance' ? ranked.length : 0,
    expression: match,
  }
}

/**
 * Events matching in either table. Without filters each table counts its own matches (FTS5 counts
 * without reading rows) and only rows found in both are counted together; with filters, the matches
 * are joined with their events. A word in most of 100,000 events: ~16 ms against ~33 ms for the join.
 */
const isFiltered = (params: Record<string, unknown>): boolean =>
  Object.entries(params).some(([key, value]) => key !== 'match' && value !== null)

function countMatches(db: Database.Database, params: Record<string, unknown>): number {
  const count = (sql: string, p: Record<string, unknown> = { match: params.match }) =>
    db.prepare(sql).pluck().get(p) as number
  if (isFiltered(params))
    return count(
      `SELECT count(*) FROM (SELECT rowid FROM fts WHERE fts MATCH @match
         UNION SELECT rowid FROM detail WHERE detail MATCH @match) AS u
       JOIN docs AS d ON d.rowid = u.rowid WHERE ${FILTERS}`,
      params,
    )
  const text = count('SELECT count(*) FROM fts WHERE fts MATCH @match')
  const detail = count('SELECT count(*) FROM detail WHERE detail MATCH @match')
  if (text === 0 || detail === 0) return text + detail
  const both = count(`SELECT count(*) FROM (SELECT rowid FROM fts WHERE fts MATCH @match
    INTERSECT SELECT rowid FROM detail WHERE detail MATCH @match)`)
  return text + detail - both
}

function hitOf(db: Database.Database, m: Match, match: string, order: FindResult['order']): FoundHit {
  const doc = db
    .prepare<[number], Omit<SearchHit, 'snippet'>>(
      `SELECT conversation_id, event_id, seq, type, model, provider, created_at_unix FROM docs WHERE rowid = ?`,
    )
    .get(m.rowid)!
  // better-sqlite3 binds numbers as REAL; FTS5 then ignores `rowid = ?` beside MATCH (SQLite 3.53.2)
  // and every match would answer. A BigInt binds as INTEGER: FTS5 seeks the one row (a CAST in SQL
  // answered right too, but after reading every match: 50 snippets took 150 ms).
  const snippet = db
    .prepare(
      `SELECT snippet(${m.table}, 0, '${SNIPPET_MARK.start}', '${SNIPPET_MARK.end}', '…', 14) FROM ${m.table}
       WHERE ${m.table} MATCH ? AND rowid = ?`,
    )
    .pluck()
    .get(match, BigInt(m.rowid)) as string | undefined
  return {
    ...doc,
    snippet: snippet ?? '',
    matched: m.table === 'fts' ? 'text' : 'detail',
    score: order === 'relevance' ? m.score : null,
  }
}
