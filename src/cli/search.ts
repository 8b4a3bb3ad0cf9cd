// `chv search DB QUERY`: the search index in the app's data folder (built on first use, with a
// progress line on a terminal), over text, tool names, arguments and ids, with real totals.
import { SNIPPET_MARK } from '../shared/api'
import { find, type FindResult } from '../main/index/search-find'
import { SearchIndex } from '../main/search/search-index'
import { isoFromUnix } from './format'
import { indexDir, parseDate } from './list-filters'
import { oneLine } from './terminal-text'
import { escapeControls } from './terminal-text'

type Usage = (message: string) => never

export interface SearchOptionValues {
  limit?: string
  offset?: string
  order?: string
  model?: string
  type?: string
  conversation?: string
  since?: string
  until?: string
}

const wholeNumber = (
  text: string | undefined,
  option: string,
  fallback: number,
  min: number,
  usage: Usage,
) => {
  if (text === undefined) return fallback
  const n = Number(text)
  if (!Number.isInteger(n) || n < min)
    usage(`${option} takes a whole number of at least ${min}, not "${text}"`)
  return n
}

/** The search index of `path`, brought up to date; progress on stderr when it is a terminal. */
function builtSearchIndex(path: string): SearchIndex {
  const index = new SearchIndex(path, indexDir())
  let drawn = false
  while (!index.step(50)) {
    if (!process.stderr.isTTY) continue
    const { indexed, total } = index.status()
    const percent = total === 0 ? 100 : Math.floor((100 * indexed) / total)
    process.stderr.write(`\rindexing ${escapeControls(path)} for search: ${percent}% of ${total} rows`)
    drawn = true
  }
  if (drawn) process.stderr.write('\r\u001b[K')
  return index
}

export function runSearch(path: string, query: string | undefined, v: SearchOptionValues, usage: Usage) {
  if (query === undefined || query.trim() === '') usage('missing the QUERY argument')
  if (v.order !== undefined && v.order !== 'newest' && v.order !== 'relevance')
    usage(`--order takes newest or relevance, not "${v.order}"`)
  const limit = wholeNumber(v.limit, '--limit', 50, 1, usage)
  const offset = wholeNumber(v.offset, '--offset', 0, 0, usage)
  const fromUnix = v.since === undefined ? null : parseDate(v.since, '--since', usage)
  const toUnix = v.until === undefined ? null : parseDate(v.until, '--until', usage, true)
  const index = builtSearchIndex(path)
  try {
    const result = find(index.database, {
      text: query,
      order: v.order as 'newest' | 'relevance' | undefined,
      limit,
      offset,
      model: v.model,
      type: v.type,
      conversationId: v.conversation,
      fromUnix,
      toUnix,
    })
    const json = {
      ...result,
      hits: result.hits.map((h) => ({ ...h, created_at: isoFromUnix(h.created_at_unix) })),
    }
    return { json, text: describeResult(result, offset) }
  } finally {
    index.close()
  }
}

const marked = (snippet: string) =>
  oneLine(snippet.replaceAll(SNIPPET_MARK.start, '«').replaceAll(SNIPPET_MARK.end, '»'))

function describeResult(r: FindResult, offset: number): string {
  if (r.total === 0) return 'No matches.'
  const lines = r.hits.map(
    (h) =>
      `${isoFromUnix(h.created_at_unix)}  ${h.conversation_id}#${h.seq}  ${h.type}${h.matched === 'detail' ? ' (tool call or id)' : ''}\n    ${marked(h.snippet)}`,
  )
  const range =
    r.hits.length === 0 ? `none of ${r.total}` : `${offset + 1}-${offset + r.hits.length} of ${r.total}`
  const order =
    r.order === 'newest'
      ? 'newest first'
      : r.capped
        ? `by relevance among the newest ${r.ranked} matches only (ranking is capped)`
        : 'by relevance'
  return `${lines.join('\n')}\n(${range} matches, ${order})`
}
