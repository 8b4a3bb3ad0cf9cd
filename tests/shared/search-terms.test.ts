import { describe, expect, it } from 'vitest'
import { asTyped, findTerms, matchTerms, wordsOf } from '../../src/shared/search-terms'

const found = (text: string, query: string) => {
  const words = wordsOf(text)
  return findTerms(
    words.map((w) => w.word),
    matchTerms(query),
  ).map(([a, b]) => text.slice(words[a]!.start, words[b]!.end))
}

describe('search terms in shown text', () => {
  it('finds words, phrases and prefixes as the index does: case, accents and punctuation folded', () => {
    expect(found('Café au lait, CAFE noir', 'cafe')).toEqual(['Café', 'CAFE'])
    expect(found('take an umbrella; umbrellas too', 'umbrella')).toEqual(['umbrella'])
    expect(found('take an umbrella; umbrellas too', 'umbrel*')).toEqual(['umbrella', 'umbrellas'])
    expect(found('in Paris right now, Paris is wet', '"paris right"')).toEqual(['Paris right'])
    // get_weather is two words to the index: found as a phrase, across the underscore.
    expect(found('called get_weather("Paris")', 'get_weather')).toEqual(['get_weather'])
  })

  it('looks for each side of OR; keywords and stray quotes are not words', () => {
    expect(found('rain or sun, rain and snow', 'snow OR sun')).toEqual(['sun', 'snow'])
    expect(matchTerms('"unclosed phrase')).toEqual([
      { words: ['unclosed'], prefix: false },
      { words: ['phrase'], prefix: false },
    ])
    expect(matchTerms('OR * ""')).toEqual([])
  })

  it('reads the last plain word as a prefix while typing, until a space ends it', () => {
    expect(asTyped('umbr')).toBe('umbr*')
    expect(asTyped('umbrella ')).toBe('umbrella ')
    expect(asTyped('"a phrase"')).toBe('"a phrase"')
    expect(asTyped('pre*')).toBe('pre*')
    expect(asTyped('a OR')).toBe('a OR')
    expect(asTyped('')).toBe('')
  })
})
