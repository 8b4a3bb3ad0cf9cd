// What a search query is made of, read the same way everywhere: `chv search` and search.find turn it
// into an FTS5 expression (src/main/index/search-syntax.ts), the UI finds its words in what it shows
// (the match highlighted in the opened card) and main names the tool call a match was in.

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/g

/** A word or a "phrase" as typed, and whether it ends with `*` (a prefix). */
export interface QueryTerm {
  text: string
  prefix: boolean
}

/** Terms and OR markers in the order typed; a quote without its pair starts no phrase. */
export function scanQuery(input: string): (QueryTerm | 'OR')[] {
  const out: (QueryTerm | 'OR')[] = []
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
 * The query as the search boxes run it while the user types: the last word, when it is a plain word,
 * is a prefix (`wea` finds weather) until a space ends it. Phrases, `OR` and `word*` are left as typed.
 */
export function asTyped(input: string): string {
  if (input.trim() === '' || /\s$/.test(input)) return input
  const last = input.split(/\s+/).at(-1)!
  if (last === 'OR' || last.endsWith('*') || last.includes('"')) return input
  return `${input}*`
}

/** A word as the index compares it: case and Latin diacritics folded (FTS5's unicode61, roughly). */
export const foldWord = (word: string): string => word.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '')

/** Where the index's tokenizer sees words: runs of letters, digits and marks (`_` and `-` split). */
const WORD = /[\p{L}\p{N}\p{M}\p{Co}]+/gu

export interface WordAt {
  start: number
  end: number
  /** Folded (foldWord). */
  word: string
}

export function wordsOf(text: string): WordAt[] {
  return [...text.matchAll(WORD)].map((m) => ({
    start: m.index,
    end: m.index + m[0].length,
    word: foldWord(m[0]),
  }))
}

/** A term to find in shown text: its words in a row, the last one a prefix or whole. */
export interface MatchTerm {
  words: string[]
  prefix: boolean
}

/** The terms of a query to find in what is shown (OR only joins terms: every term is looked for). */
export function matchTerms(query: string): MatchTerm[] {
  const terms: MatchTerm[] = []
  for (const item of scanQuery(query)) {
    if (item === 'OR') continue
    const words = wordsOf(item.text).map((w) => w.word)
    if (words.length > 0) terms.push({ words, prefix: item.prefix })
  }
  return terms
}

/** Where the terms occur in a list of folded words: [first, last] word index of each occurrence. */
export function findTerms(words: readonly string[], terms: readonly MatchTerm[]): [number, number][] {
  const found: [number, number][] = []
  for (const term of terms) {
    const n = term.words.length
    for (let i = 0; i + n <= words.length; i++) {
      let all = true
      for (let j = 0; j < n && all; j++) {
        const want = term.words[j]!
        const have = words[i + j]!
        all = j === n - 1 && term.prefix ? have.startsWith(want) : have === want
      }
      if (all) found.push([i, i + n - 1])
    }
  }
  return found.sort((a, b) => a[0] - b[0] || b[1] - a[1])
}
