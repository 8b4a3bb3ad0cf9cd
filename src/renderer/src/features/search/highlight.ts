// The words of a search marked where they are shown (the cards of the open conversation: text,
// rendered Markdown, tool-call arguments), with the CSS Custom Highlight API: Ranges over the text
// nodes React rendered, styled by ::highlight(search-match). The page is not changed at all, so no
// chat text is ever turned into markup. Where the API is missing, nothing is marked.
import { useEffect, type RefObject } from 'react'
import { findTerms, matchTerms, wordsOf, type MatchTerm } from '../../../../shared/search-terms'

/** The highlight's name in CSS.highlights (styles.css styles it). */
export const MATCH_HIGHLIGHT = 'search-match'

/** Text that is the app's own, not the event's: never marked. */
const NOT_CONTENT = 'button, .inspector, header .type, header .seq, time, .visually-hidden'

interface WordInNode {
  node: Text
  start: number
  end: number
  word: string
}

/** The words of each text node, kept while its text is the same: cards are scanned again as others render. */
const seen = new WeakMap<Text, { data: string; words: ReturnType<typeof wordsOf> }>()
function wordsIn(node: Text): ReturnType<typeof wordsOf> {
  const had = seen.get(node)
  if (had?.data === node.data) return had.words
  const words = wordsOf(node.data)
  seen.set(node, { data: node.data, words })
  return words
}

/** Ranges over each occurrence of the terms in each card under `root` (a phrase may cross elements). */
export function matchRanges(root: Element, terms: readonly MatchTerm[]): Range[] {
  const ranges: Range[] = []
  for (const card of root.querySelectorAll('article.event')) {
    const words: WordInNode[] = []
    const walker = document.createTreeWalker(card, NodeFilter.SHOW_TEXT, {
      acceptNode: (node) =>
        node.parentElement?.closest(NOT_CONTENT) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
    })
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node as Text
      for (const w of wordsIn(text)) words.push({ node: text, ...w })
    }
    for (const [first, last] of findTerms(
      words.map((w) => w.word),
      terms,
    )) {
      const range = document.createRange()
      range.setStart(words[first]!.node, words[first]!.start)
      range.setEnd(words[last]!.node, words[last]!.end)
      ranges.push(range)
    }
  }
  return ranges
}

const registry = (): HighlightRegistry | undefined =>
  typeof CSS !== 'undefined' && 'highlights' in CSS && typeof Highlight === 'function'
    ? CSS.highlights
    : undefined

/**
 * Marks the words of `query` in the cards under `container` while it is shown, following what is
 * rendered (the timeline renders cards as they scroll in, Markdown as it is parsed). `ready` says the
 * container is in the page (re-run when it comes). Cleared when the query changes or it unmounts.
 */
export function useMatchHighlight(container: RefObject<HTMLElement | null>, query: string, ready: boolean) {
  useEffect(() => {
    const highlights = registry()
    const root = container.current
    const terms = matchTerms(query)
    if (!highlights || !root || terms.length === 0) return
    let frame = 0
    const paint = () => {
      frame = 0
      highlights.set(MATCH_HIGHLIGHT, new Highlight(...matchRanges(root, terms)))
    }
    const later = () => {
      if (frame === 0) frame = requestAnimationFrame(paint)
    }
    paint()
    const observer = new MutationObserver(later)
    observer.observe(root, { childList: true, subtree: true, characterData: true })
    return () => {
      observer.disconnect()
      cancelAnimationFrame(frame)
      highlights.delete(MATCH_HIGHLIGHT)
    }
  }, [container, query, ready])
}
