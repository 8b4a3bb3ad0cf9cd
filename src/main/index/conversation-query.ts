// Whole-file answers from the derived index: the filtered, sorted list of conversations with counts
// per facet, and bytes per type. Reads only the index's summaries (one row per conversation).
import type Database from 'better-sqlite3'

export interface ConversationFilters {
  /** Conversation id or first user message contains it (case-insensitive). */
  text?: string
  model?: string | null
  tool?: string | null
  /** Conversations active at or after this time (last activity ≥ since). */
  sinceUnix?: number | null
  /** Conversations begun at or before this time (first activity ≤ until). */
  untilUnix?: number | null
  hasTools?: boolean
  hasPending?: boolean
  hasProblems?: boolean
  sort?: 'last' | 'first'
}

/** One conversation as the index summarizes it, in the seed's snake_case. */
export interface IndexedConversation {
  conversation_id: string
  first_activity_unix: number | null
  last_activity_unix: number | null
  event_count: number
  preview: string
  models: string[]
  tools: string[]
  tool_calls: number
  /** Streamed chunks whose reply has no compacted `assistant:<user_request_id>` message. */
  pending_deltas: number
  /** Replies those chunks belong to. */
  pending_replies: number
  /** tool_calls entries no tool_result answers (by tool_call_id). */
  calls_without_result: number
  /** pending_deltas + calls_without_result: what a look at the conversation should explain. */
  problems: number
  bytes: { content: number; extra: number; raw: number; tool_calls: number }
}

export interface FacetCount {
  value: string
  count: number
}

export interface ConversationQueryResult {
  conversations: IndexedConversation[]
  /** Conversations matching, before offset/limit. */
  total: number
  /** Counts among the matching conversations. */
  facets: {
    models: FacetCount[]
    tools: FacetCount[]
    hasTools: number
    hasPending: number
    hasProblems: number
  }
}

/** The summary's columns, in the order `toConversation` reads them (rows are read as arrays: building
 * 10,000 row objects and then the answer's objects took about a third of a whole list's time). */
const COLUMNS = `conversations.conversation_id, first_unix, last_unix, events, preview, models, tools, tool_calls,
  pending_deltas, pending_replies, calls_without_result, b_content, b_extra, b_raw, b_tool_calls`

type SummaryRow = [
  conversation_id: string,
  first_unix: number | null,
  last_unix: number | null,
  events: number,
  preview: string,
  models: string,
  tools: string,
  tool_calls: number,
  pending_deltas: number,
  pending_replies: number,
  calls_without_result: number,
  b_content: number,
  b_extra: number,
  b_raw: number,
  b_tool_calls: number,
]

const toConversation = (r: SummaryRow): IndexedConversation => ({
  conversation_id: r[0],
  first_activity_unix: r[1],
  last_activity_unix: r[2],
  event_count: r[3],
  preview: r[4],
  models: JSON.parse(r[5]) as string[],
  tools: JSON.parse(r[6]) as string[],
  tool_calls: r[7],
  pending_deltas: r[8],
  pending_replies: r[9],
  calls_without_result: r[10],
  problems: r[8] + r[10],
  bytes: { content: r[11], extra: r[12], raw: r[13], tool_calls: r[14] },
})

/**
 * The SQL conditions of the filters given on the `conversations` table (not aliased: a join names
 * other columns by their table), and their parameters.
 */
export function conditionsOf(filters: ConversationFilters): {
  where: string
  params: Record<string, unknown>
} {
  const conditions: string[] = []
  const params: Record<string, unknown> = {}
  const facet = (kind: 'model' | 'tool', value: string | null | undefined) => {
    if (value == null) return
    // EXISTS, probed per conversation through the facets' primary key: the planner then walks the
    // sort order's index and stops at the page's end (an IN list read every match and sorted them).
    conditions.push(
      `EXISTS (SELECT 1 FROM facets AS f WHERE f.kind = '${kind}' AND f.value = @${kind}
         AND f.conversation_id = conversations.conversation_id)`,
    )
    params[kind] = value
  }
  // Text as JavaScript folds case (so 'äpfel' finds 'ÄPFEL'), against copies folded the same way.
  const needle = (filters.text ?? '').trim().toLowerCase()
  if (needle) {
    conditions.push('(instr(folded_id, @text) > 0 OR instr(folded_preview, @text) > 0)')
    params.text = needle
  }
  facet('model', filters.model)
  facet('tool', filters.tool)
  if (filters.sinceUnix != null) {
    conditions.push('last_unix >= @since')
    params.since = filters.sinceUnix
  }
  if (filters.untilUnix != null) {
    conditions.push('first_unix <= @until')
    params.until = filters.untilUnix
  }
  if (filters.hasTools) conditions.push('tool_calls > 0')
  if (filters.hasPending) conditions.push('pending_deltas > 0')
  if (filters.hasProblems) conditions.push('pending_deltas + calls_without_result > 0')
  return { where: conditions.length ? `WHERE ${conditions.join(' AND ')}` : '', params }
}

/** Most conversations first, then by value (the same order however the counts were made). */
const byCount = (a: FacetCount, b: FacetCount) => b.count - a.count || (a.value < b.value ? -1 : 1)

/**
 * The matching conversations, newest first by last (or first) activity, then by id as the seed's list.
 * When the page is the whole answer (no limit, or fewer than asked from the start) its total and facet
 * counts are counted from the rows read; otherwise in SQL, and only the page is read (see countsOf and
 * unfilteredCounts).
 */
export function queryConversations(
  db: Database.Database,
  filters: ConversationFilters = {},
  page: { offset?: number; limit?: number } = {},
): ConversationQueryResult {
  const list = pageOfConversations(db, filters, page)
  if ((page.offset ?? 0) === 0 && (page.limit === undefined || list.length < page.limit)) {
    return { conversations: list, total: list.length, facets: facetsOf(list) }
  }
  const { where, params } = conditionsOf(filters)
  return { conversations: list, ...(where ? countsOf(db, where, params) : unfilteredCounts(db)) }
}

/**
 * One page of the list, without the total and facet counts: what a list scrolled far down asks for
 * (its first page brought the counts). Counting again for every page of a filter matching 45,000 of
 * 100,000 conversations took 140-570 ms a page.
 */
export function pageOfConversations(
  db: Database.Database,
  filters: ConversationFilters,
  page: { offset?: number; limit?: number },
): IndexedConversation[] {
  const order = filters.sort === 'first' ? 'first_unix' : 'last_unix'
  const { where, params } = conditionsOf(filters)
  const select = `SELECT ${COLUMNS} FROM conversations ${where} ORDER BY ${order} DESC, conversation_id`
  return rows(db, `${select} LIMIT @limit OFFSET @offset`, {
    ...params,
    limit: page.limit ?? -1,
    offset: page.offset ?? 0,
  }).map(toConversation)
}

/** Total and facet counts of all conversations: the flags from a covering index, models and tools as kept. */
function unfilteredCounts(db: Database.Database): Omit<ConversationQueryResult, 'conversations'> {
  const counts = db
    .prepare<[], { total: number; hasTools: number; hasPending: number; hasProblems: number }>(
      `SELECT count(*) AS total, count(*) FILTER (WHERE tool_calls > 0) AS hasTools,
         count(*) FILTER (WHERE pending_deltas > 0) AS hasPending,
         count(*) FILTER (WHERE pending_deltas + calls_without_result > 0) AS hasProblems
       FROM conversations`,
    )
    .get()!
  const facets = db
    .prepare<[], FacetCount & { kind: string }>(
      'SELECT kind, value, conversations AS count FROM facet_counts',
    )
    .all()
  const of = (kind: string) =>
    facets
      .filter((f) => f.kind === kind)
      .map(({ value, count }) => ({ value, count }))
      .sort(byCount)
  const { total, ...flags } = counts
  return { total, facets: { models: of('model'), tools: of('tool'), ...flags } }
}

/**
 * Total and facet counts of the conversations `where` matches, in one statement: grouped by their
 * lists of models and tools (few distinct lists), each list then counted for each of its values. A join
 * with the facets table read three rows per conversation and took twice as long.
 */
function countsOf(
  db: Database.Database,
  where: string,
  params: Record<string, unknown>,
): Omit<ConversationQueryResult, 'conversations'> {
  const groups = db
    .prepare<Record<string, unknown>, [string, string, number, number, number, number]>(
      `SELECT models, tools, count(*), count(*) FILTER (WHERE tool_calls > 0),
         count(*) FILTER (WHERE pending_deltas > 0),
         count(*) FILTER (WHERE pending_deltas + calls_without_result > 0)
       FROM conversations ${where} GROUP BY models, tools`,
    )
    .raw()
    .all(params) as unknown as [string, string, number, number, number, number][]
  const models = new Map<string, number>()
  const tools = new Map<string, number>()
  const result = { total: 0, hasTools: 0, hasPending: 0, hasProblems: 0 }
  for (const [m, t, n, hasTools, hasPending, hasProblems] of groups) {
    for (const value of JSON.parse(m) as string[]) models.set(value, (models.get(value) ?? 0) + n)
    for (const value of JSON.parse(t) as string[]) tools.set(value, (tools.get(value) ?? 0) + n)
    result.total += n
    result.hasTools += hasTools
    result.hasPending += hasPending
    result.hasProblems += hasProblems
  }
  const { total, ...flags } = result
  return { total, facets: { models: sorted(models), tools: sorted(tools), ...flags } }
}

const sorted = (m: Map<string, number>): FacetCount[] =>
  [...m].map(([value, count]) => ({ value, count })).sort(byCount)

const rows = (db: Database.Database, sql: string, params: Record<string, unknown>): SummaryRow[] =>
  db.prepare<Record<string, unknown>, SummaryRow>(sql).raw().all(params) as unknown as SummaryRow[]

function facetsOf(list: IndexedConversation[]): ConversationQueryResult['facets'] {
  const models = new Map<string, number>()
  const tools = new Map<string, number>()
  let hasTools = 0
  let hasPending = 0
  let hasProblems = 0
  for (const c of list) {
    for (const m of c.models) models.set(m, (models.get(m) ?? 0) + 1)
    for (const t of c.tools) tools.set(t, (tools.get(t) ?? 0) + 1)
    if (c.tool_calls > 0) hasTools++
    if (c.pending_deltas > 0) hasPending++
    if (c.problems > 0) hasProblems++
  }
  return { models: sorted(models), tools: sorted(tools), hasTools, hasPending, hasProblems }
}

export interface TypeBytes {
  type: string
  events: number
  content: number
  extra: number
  raw: number
  tool_calls: number
}

/** Events and bytes per type, largest first, as `chv stats` lists them. */
export function bytesByType(db: Database.Database): TypeBytes[] {
  return db
    .prepare<[], TypeBytes>(
      `SELECT type, events, b_content AS content, b_extra AS extra, b_raw AS raw, b_tool_calls AS tool_calls
       FROM types ORDER BY b_content + b_extra + b_raw + b_tool_calls DESC, type`,
    )
    .all()
}
