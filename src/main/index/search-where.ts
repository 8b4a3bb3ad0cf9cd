// For a search hit found in tool calls and ids (the detail table), which tool call it was found in, so
// the hit can say "in tool call get_weather". Read from the file, a few rows per page of hits.
import type Database from 'better-sqlite3'
import { findTerms, matchTerms, wordsOf } from '../../shared/search-terms'

interface Located {
  event_id: string
  matched: 'text' | 'detail'
}

/** Tool calls are read up to this many characters (the index searched their first 20,000). */
const READ_CHARS = 100_000

/**
 * The function name of the first tool call of each detail hit whose name, id or arguments hold a word
 * of `query`; null when the match was in the event's ids (a tool result's call id, a request id).
 */
export function withToolNames<T extends Located>(
  db: Database.Database,
  hits: T[],
  query: string,
): (T & { tool: string | null })[] {
  const terms = matchTerms(query)
  const read = db.prepare<[string], string | null>(
    `SELECT substr(CAST(tool_calls AS TEXT), 1, ${READ_CHARS}) FROM chat_events WHERE id = ?`,
  )
  return hits.map((hit) => {
    if (hit.matched !== 'detail' || terms.length === 0) return { ...hit, tool: null }
    let calls: unknown
    try {
      calls = JSON.parse(read.pluck().get(hit.event_id) ?? 'null')
    } catch {
      calls = null
    }
    const tool = Array.isArray(calls) ? calls.map(nameIfMatched).find((n) => n !== null) : null
    return { ...hit, tool: tool ?? null }

    function nameIfMatched(entry: unknown): string | null {
      const call = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>
      const fn = (typeof call.function === 'object' && call.function !== null ? call.function : {}) as Record<
        string,
        unknown
      >
      const name = typeof fn.name === 'string' ? fn.name : typeof call.name === 'string' ? call.name : null
      const args = typeof fn.arguments === 'string' ? fn.arguments : JSON.stringify(fn.arguments ?? '')
      const text = [name, call.id, args].filter((v) => typeof v === 'string').join('\n')
      const words = wordsOf(text).map((w) => w.word)
      return name && findTerms(words, terms).length > 0 ? name : null
    }
  })
}
