// What a user types into `chv search` as an FTS5 query: "phrases", OR between terms, prefix* terms.
// Everything else is a word, quoted, so no input is a syntax error: a stray quote, a parenthesis,
// NOT or a lone * are taken as text (or dropped when they hold no word).

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/g

interface Term {
  text: string
  prefix: boolean
}

const quote = (t: Term) => `"${t.text.replaceAll('"', '""')}"${t.prefix ? '*' : ''}`

/** Terms and OR markers in the order typed; a quote without its pair starts no phrase. */
function scan(input: string): (Term | 'OR')[] {
  const out: (Term | 'OR')[] = []
  const text = input.replace(CONTROL, ' ')
  let i = 0
  while (i < text.length) {
    const c = text[i]!
    if (/\s/.test(c)) {
      i++
      continue
    }
    const close = c === '"' ? text.indexOf('"', i + 1) : -1
    if (close > i) {
      const prefix = text[close + 1] === '*'
      out.push({ text: text.slice(i + 1, close), prefix })
      i = close + (prefix ? 2 : 1)
      continue
    }
    let end = i
    while (end < text.length && !/\s/.test(text[end]!)) end++
    const word = text.slice(i, end).replaceAll('"', ' ').trim()
    i = end
    if (word === 'OR') out.push('OR')
    else if (word.replace(/\*+$/, '') !== '') {
      const prefix = word.endsWith('*')
      out.push({ text: word.replace(/\*+$/, ''), prefix })
    }
  }
  return out
}

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
