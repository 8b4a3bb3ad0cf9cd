import { describe, expect, it } from 'vitest'
import { placeUrl, readPlace } from '../../../src/renderer/src/lib/use-address'

const BASE = 'http://127.0.0.1:8765/?file=f1#token=secret'

describe('addresses', () => {
  it('round-trips a place, keeping parameters that are not ours and dropping the fragment', () => {
    const place = { conversation: 'a b/c', event: 42, tab: 'model' as const, find: 'umbrella?' }
    const url = new URL(placeUrl(place, BASE))
    expect(url.hash).toBe('')
    expect(url.searchParams.get('file')).toBe('f1')
    expect(readPlace(url.search)).toEqual(place)
  })

  it('leaves out what is the default, and everything once no conversation is open', () => {
    expect(placeUrl({ conversation: 'x', event: null, tab: 'timeline', find: '' }, BASE)).toBe(
      'http://127.0.0.1:8765/?file=f1&conversation=x',
    )
    expect(placeUrl({ conversation: null, event: 3, tab: 'model', find: 'q' }, BASE)).toBe(
      'http://127.0.0.1:8765/?file=f1',
    )
  })

  it('ignores values it does not know', () => {
    expect(readPlace('?conversation=x&tab=nope&event=1.5')).toEqual({
      conversation: 'x',
      event: null,
      tab: 'timeline',
      find: '',
    })
  })
})
