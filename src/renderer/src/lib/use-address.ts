// The page's address names where the user is (conversation, event, tab, find query), so a reload keeps
// the place, Back and Forward move between places, and a link can be shared. The token never goes here:
// lib/api.ts takes it out of the fragment before anything is pushed.
import { useCallback, useEffect, useState } from 'react'

export type Tab = 'timeline' | 'model' | 'problems'
const TABS: readonly Tab[] = ['timeline', 'model', 'problems']

export interface Place {
  conversation: string | null
  /** The seq of the event to bring into view. */
  event: number | null
  tab: Tab
  /** The find-in-conversation query. */
  find: string
}

export function readPlace(search = location.search): Place {
  const params = new URLSearchParams(search)
  const seq = Number(params.get('event'))
  const tab = params.get('tab') as Tab | null
  return {
    conversation: params.get('conversation') || null,
    event: params.has('event') && Number.isInteger(seq) ? seq : null,
    tab: tab && TABS.includes(tab) ? tab : 'timeline',
    find: params.get('find') ?? '',
  }
}

/** The address of a place; keeps parameters that are not ours (`file`, which the desktop app sets). */
export function placeUrl(place: Place, base = location.href): string {
  const url = new URL(base)
  url.hash = ''
  const set = (key: string, value: string | null) =>
    value === null || value === '' ? url.searchParams.delete(key) : url.searchParams.set(key, value)
  set('conversation', place.conversation)
  set('event', place.conversation && place.event !== null ? String(place.event) : null)
  set('tab', place.conversation && place.tab !== 'timeline' ? place.tab : null)
  set('find', place.conversation ? place.find : null)
  return url.toString()
}

/** Where the user is, and `go` to move: `push` adds a history entry (Back returns), else it replaces. */
export function useAddress() {
  const [place, setPlace] = useState(readPlace)
  useEffect(() => {
    const onPop = () => setPlace(readPlace())
    window.addEventListener('popstate', onPop)
    return () => window.removeEventListener('popstate', onPop)
  }, [])
  const go = useCallback((change: Partial<Place>, mode: 'push' | 'replace' = 'push') => {
    // The address is the source of truth: read it, not a possibly stale render's state.
    const next = { ...readPlace(), ...change }
    const url = placeUrl(next)
    if (url !== location.href) {
      if (mode === 'push') history.pushState(null, '', url)
      else history.replaceState(null, '', url)
    }
    setPlace(next)
  }, [])
  return { place, go }
}
