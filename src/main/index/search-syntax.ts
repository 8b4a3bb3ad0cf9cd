// What a user types into `chv search` as an FTS5 query: "phrases", OR between terms, prefix* terms.
// Everything else is a word, quoted, so no input is a syntax error: a stray quote, a parenthesis,
// NOT or a lone * are taken as text (or dropped when they hold no word).

import { scanQuery as scan, type QueryTerm as Term } from '../../shared/search-terms'

const quote = (t: Term) => `"${t.text.replaceAll('"', '""')}"${t.prefix ? '*' : ''}`

/**
 * An FTS5 expression for `input`, or undefined when it holds no term. Terms are ANDed; `a OR b` binds
 * tighter than the AND around it, as in web search: `x a OR b` finds x with a or b.
 */
export function toQueryExpression(input: string): string | undefined {
  const groups: Term[][] = []
  let joinNext = false
  for (const item of scan(input)) {
    if (item === 'OR') {
      joinNext = groups.length > 0
      continue
    }
    if (item.text.trim() === '') continue
    if (joinNext) groups.at(-1)!.push(item)
    else groups.push([item])
    joinNext = false
  }
  if (groups.length === 0) return undefined
  return groups.map((g) => (g.length === 1 ? quote(g[0]!) : `(${g.map(quote).join(' OR ')})`)).join(' AND ')
}
