// `chv ls` with filters: answered from the derived index in the app's data folder (built on first
// use, with a progress line on a terminal). Plain `chv ls` and `--limit N` still read the file directly,
// so a first page on a new or huge file needs no index at all.
import { join } from 'node:path'
import { appDataDir } from '../main/app-data-dir'
import { queryConversations, type ConversationFilters } from '../main/index/conversation-query'
import { DerivedIndex, type DerivedStatus } from '../main/index/derived-index'
import { formatConversations, isoFromUnix } from './format'
import { escapeControls } from './terminal-text'

/** Options of `ls` and `search` that chv.ts adds to its parser. */
export const INDEX_OPTIONS = {
  filter: { type: 'string' },
  model: { type: 'string' },
  tool: { type: 'string' },
  since: { type: 'string' },
  until: { type: 'string' },
  'has-tools': { type: 'boolean' },
  'has-pending': { type: 'boolean' },
  'has-problems': { type: 'boolean' },
  sort: { type: 'string' },
  order: { type: 'string' },
  type: { type: 'string' },
  conversation: { type: 'string' },
  offset: { type: 'string' },
} as const

export interface IndexOptionValues {
  filter?: string
  model?: string
  tool?: string
  since?: string
  until?: string
  'has-tools'?: boolean
  'has-pending'?: boolean
  'has-problems'?: boolean
  sort?: string
  limit?: string
}

type Usage = (message: string) => never

/** Whether `ls` was asked for something only the index answers. */
export const wantsIndex = (v: IndexOptionValues): boolean =>
  [v.filter, v.model, v.tool, v.since, v.until, v.sort].some((o) => o !== undefined) ||
  Boolean(v['has-tools'] || v['has-pending'] || v['has-problems'])

/** Where the app keeps its indexes: beside the search indexes, never beside the user's file. */
export const indexDir = (): string => join(appDataDir(), 'search')

/** The derived index of `path`, brought up to date; progress is drawn on stderr when it is a terminal. */
export function builtIndex(path: string): DerivedIndex {
  const index = new DerivedIndex(path, indexDir())
  let drawn = false
  index.buildAll((status) => {
    if (!process.stderr.isTTY) return
    process.stderr.write(`\r${progressLine(path, status)}`)
    drawn = true
  })
  if (drawn) process.stderr.write('\r\u001b[K')
  return index
}

export function progressLine(path: string, s: DerivedStatus): string {
  const percent = s.total === 0 ? 100 : Math.floor((100 * s.indexed) / s.total)
  const rest =
    s.indexed < s.total
      ? `${percent}% of ${s.total} rows`
      : `${s.pendingConversations} conversations to sum up`
  return `indexing ${escapeControls(path)}: ${rest}`
}

/** A date (YYYY-MM-DD: a whole day in UTC, its end for --until) or a date and time, as unix seconds. */
export function parseDate(text: string, option: string, usage: Usage, endOfDay = false): number {
  const dayOnly = /^\d{4}-\d{2}-\d{2}$/.test(text)
  const ms = Date.parse(dayOnly ? `${text}T00:00:00Z` : text)
  if (Number.isNaN(ms))
    usage(`${option} takes a date such as 2026-03-07 or 2026-03-07T14:00:00Z, not "${text}"`)
  return Math.floor(ms / 1000) + (dayOnly && endOfDay ? 86_399 : 0)
}

export function filtersOf(v: IndexOptionValues, usage: Usage): ConversationFilters {
  if (v.sort !== undefined && v.sort !== 'last' && v.sort !== 'first')
    usage(`--sort takes last or first, not "${v.sort}"`)
  return {
    text: v.filter,
    model: v.model,
    tool: v.tool,
    sinceUnix: v.since === undefined ? null : parseDate(v.since, '--since', usage),
    untilUnix: v.until === undefined ? null : parseDate(v.until, '--until', usage, true),
    hasTools: v['has-tools'],
    hasPending: v['has-pending'],
    hasProblems: v['has-problems'],
    sort: v.sort as 'last' | 'first' | undefined,
  }
}

export function listFromIndex(path: string, v: IndexOptionValues, usage: Usage) {
  const filters = filtersOf(v, usage)
  const limit = v.limit === undefined ? undefined : Number(v.limit)
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1))
    usage(`--limit takes a whole number above 0, not "${v.limit}"`)
  const index = builtIndex(path)
  try {
    const { conversations, total } = queryConversations(index.db, filters, { limit })
    const json = conversations.map((c) => ({
      ...c,
      first_activity: isoFromUnix(c.first_activity_unix),
      last_activity: isoFromUnix(c.last_activity_unix),
    }))
    const shown = conversations.length < total ? `\n(${conversations.length} of ${total} conversations)` : ''
    return { json, text: formatConversations(conversations) + shown }
  } finally {
    index.close()
  }
}
