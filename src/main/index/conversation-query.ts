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

interface SummaryRow {
  conversation_id: string
  first_unix: number | null
  last_unix: number | null
  events: number
  preview: string
  models: string
  tools: string
  tool_calls: number
  pending_deltas: number
  pending_replies: number
  calls_without_result: number
  b_content: number
  b_extra: number
  b_raw: number
  b_tool_calls: number
}

const toConversation = (r: SummaryRow): IndexedConversation => ({
  conversation_id: r.conversation_id,
  first_activity_unix: r.first_unix,
  last_activity_unix: r.last_unix,
  event_count: r.events,
  preview: r.preview,
  models: JSON.parse(r.models) as string[],
  tools: JSON.parse(r.tools) as string[],
  tool_calls: r.tool_calls,
  pending_deltas: r.pending_deltas,
  pending_replies: r.pending_replies,
  calls_without_result: r.calls_without_result,
  problems: r.pending_deltas + r.calls_without_result,
  bytes: { content: r.b_content, extra: r.b_extra, raw: r.b_raw, tool_calls: r.b_tool_calls },
})

/** The matching conversations, newest first by last (or first) activity, then by id as the seed's list. */
/** The SQL conditions of the filters given (text aside), and their parameters. */
export function conditionsOf(filters: ConversationFilters): {
  where: string
  params: Record<string, unknown>
} {
  const conditions: string[] = []
  const params: Record<string, unknown> = {}
  const facet = (kind: 'model' | 'tool', value: string | null | undefined) => {
    if (value == null) return
    conditions.push(
      `conversation_id IN (SELECT conversation_id FROM facets WHERE kind = '${kind}' AND value = @${kind})`,
    )
    params[kind] = value
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

/**
 * The matching conversations, newest first by last (or first) activity, then by id as the seed's list.
 * Without a text filter the totals and facet counts are counted in SQL and only the page is read:
 * reading 10,000 summaries as objects took most of the time of a whole list.
 */
export function queryConversations(
  db: Database.Database,
  filters: ConversationFilters = {},
  page: { offset?: number; limit?: number } = {},
): ConversationQueryResult {
  const order = filters.sort === 'first' ? 'first_unix' : 'last_unix'
  const { where, params } = conditionsOf(filters)
  const offset = page.offset ?? 0
  const select = `SELECT * FROM conversations ${where} ORDER BY ${order} DESC, conversation_id`
  // Text in JavaScript: SQLite's lower() folds ASCII only.
  const needle = (filters.text ?? '').trim().toLowerCase()
  if (needle) {
    const matching = db
      .prepare<Record<string, unknown>, SummaryRow>(select)
      .all(params)
      .filter(
        (r) => r.conversation_id.toLowerCase().includes(needle) || r.preview.toLowerCase().includes(needle),
      )
      .map(toConversation)
    return {
      conversations: matching.slice(offset, page.limit === undefined ? undefined : offset + page.limit),
      total: matching.length,
      facets: facetsOf(matching),
    }
  }
  const counts = db
    .prepare<
      Record<string, unknown>,
      { total: number; hasTools: number; hasPending: number; hasProblems: number }
    >(
      `SELECT count(*) AS total, count(*) FILTER (WHERE tool_calls > 0) AS hasTools,
         count(*) FILTER (WHERE pending_deltas > 0) AS hasPending,
         count(*) FILTER (WHERE pending_deltas + calls_without_result > 0) AS hasProblems
       FROM conversations ${where}`,
    )
    .get(params)!
  const facetRows = db
    .prepare<Record<string, unknown>, FacetCount & { kind: string }>(
      `SELECT kind, value, count(*) AS count FROM facets
       ${where ? `WHERE conversation_id IN (SELECT conversation_id FROM conversations ${where})` : ''}
       GROUP BY kind, value ORDER BY count DESC, value`,
    )
    .all(params)
  const facetList = (kind: string) =>
    facetRows.filter((f) => f.kind === kind).map(({ value, count }) => ({ value, count }))
  const rows = db
    .prepare<Record<string, unknown>, SummaryRow>(`${select} LIMIT @limit OFFSET @offset`)
    .all({ ...params, limit: page.limit ?? -1, offset })
  return {
    conversations: rows.map(toConversation),
    total: counts.total,
    facets: {
      models: facetList('model'),
      tools: facetList('tool'),
      hasTools: counts.hasTools,
      hasPending: counts.hasPending,
      hasProblems: counts.hasProblems,
    },
  }
}

function facetsOf(list: IndexedConversation[]): ConversationQueryResult['facets'] {
  const models = new Map<string, number>()
  const tools = new Map<string, number>()
  for (const c of list) {
    for (const m of c.models) models.set(m, (models.get(m) ?? 0) + 1)
    for (const t of c.tools) tools.set(t, (tools.get(t) ?? 0) + 1)
  }
  const sorted = (m: Map<string, number>) =>
    [...m]
      .map(([value, count]) => ({ value, count }))
      .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1))
  return {
    models: sorted(models),
    tools: sorted(tools),
    hasTools: list.filter((c) => c.tool_calls > 0).length,
    hasPending: list.filter((c) => c.pending_deltas > 0).length,
    hasProblems: list.filter((c) => c.problems > 0).length,
  }
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
       FROM types ORDER BY b_content + b_extra + b_raw + b_tool_calls DESC`,
    )
    .all()
}
