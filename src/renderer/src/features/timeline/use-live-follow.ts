import type { Virtualizer } from '@tanstack/react-virtual'
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react'
import type { EventPreview } from '../../../../shared/api'

interface Options {
  scroller: RefObject<HTMLDivElement | null>
  virtualizer: Virtualizer<HTMLDivElement, Element>
  itemCount: number
  events: readonly EventPreview[]
  /** The newest event is loaded (no next page). */
  complete: boolean
  /** The events are the answer for what is asked now, not a placeholder from before. */
  settled: boolean
}

/**
 * Live: events the chat app adds appear at the end. At the bottom (after End, or scrolled there), the view
 * follows them; scrolled up, it stays put and counts them (`unseen`). "At the bottom" is what the user last
 * did (tracked on scroll), not measured after the new card has already made the page longer.
 */
export function useLiveFollow({ scroller, virtualizer, itemCount, events, complete, settled }: Options) {
  const [unseen, setUnseen] = useState(0)
  const stuck = useRef(false)
  const atBottom = useCallback(() => {
    const el = scroller.current
    return !el || el.scrollTop + el.clientHeight >= el.scrollHeight - 40
  }, [scroller])

  // Where the user starts: a conversation that fits on screen is "at the bottom"; a long one opened at
  // its start is not (until End or a scroll down there).
  const placed = useRef(false)
  useLayoutEffect(() => {
    if (placed.current || itemCount === 0) return
    placed.current = true
    stuck.current = atBottom()
  })

  const scrollRequest = useRef(0)
  const scrollToEnd = useCallback(() => {
    if (itemCount === 0) return
    stuck.current = true
    setUnseen(0)
    virtualizer.scrollToIndex(itemCount - 1, { align: 'end' })
    // Cards are measured after they render: settle on the real bottom over the next frames (unless the
    // user has asked for somewhere else meanwhile: a newer request takes over).
    const request = ++scrollRequest.current
    let frames = 0
    const settle = () => {
      const el = scroller.current
      if (request !== scrollRequest.current) return
      if (el) el.scrollTop = el.scrollHeight
      if (frames++ < 3) requestAnimationFrame(settle)
    }
    requestAnimationFrame(settle)
  }, [itemCount, virtualizer, scroller])

  /** The user asked for somewhere else (the first event): stop following, and any settling underway. */
  const release = useCallback(() => {
    scrollRequest.current++
    stuck.current = false
  }, [])

  const seen = useRef<{ lastSeq: number; complete: boolean } | null>(null)
  useEffect(() => {
    if (!settled) return
    const lastSeq = events.at(-1)?.seq ?? -1
    const before = seen.current
    seen.current = { lastSeq, complete }
    // Only growth while the newest events were already shown is news; more pages loading is not.
    if (!before?.complete || lastSeq <= before.lastSeq) return
    const added = events.filter((e) => e.seq > before.lastSeq).length
    if (stuck.current) scrollToEnd()
    else setUnseen((n) => n + added)
  }, [events, complete, settled, scrollToEnd])

  const onScroll = () => {
    stuck.current = atBottom()
    if (stuck.current) setUnseen(0)
  }
  return { unseen, onScroll, scrollToEnd, release }
}
