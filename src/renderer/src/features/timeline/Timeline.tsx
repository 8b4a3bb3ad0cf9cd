import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query'
import { useVirtualizer } from '@tanstack/react-virtual'
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react'
import { call } from '../../lib/api'
import { count } from '../../lib/format'
import { isTyping } from '../../lib/keyboard'
import { useMatchHighlight } from '../search/highlight'
import { DeltaGroupCard } from './DeltaGroupCard'
import { EventCard } from './EventCard'
import { timelineItems, toolCallLinks, type TimelineItem } from './timeline-items'
import { useLiveFollow } from './use-live-follow'

const PAGE = 200
export const CONTENT_CHARS = 4000

interface Props {
  fileId: string
  conversationId: string
  /** Start the timeline a little before this seq (a search hit, the address) and bring it into view. */
  focusSeq?: number | null
  /** The user moved to an event (j/k: replace the address; a jump along a link: a new history entry). */
  onFocusSeq?(seq: number, mode: 'push' | 'replace'): void
  /** A search query (as run) whose words are marked in the cards shown. */
  matchQuery?: string
}

const itemSeq = (item: TimelineItem): number => (item.kind === 'event' ? item.event.seq : item.events[0]!.seq)

/** Every event of a conversation in seq order, virtualized: only what is on screen is in the page. */
export function Timeline({ fileId, conversationId, focusSeq = null, onFocusSeq, matchQuery = '' }: Props) {
  const [startAfter, setStartAfter] = useState<number | null>(
    focusSeq === null ? null : Math.max(0, focusSeq - 20),
  )
  const [atNewest, setAtNewest] = useState(false)
  const pages = useInfiniteQuery({
    queryKey: [fileId, 'events', conversationId, startAfter],
    queryFn: ({ pageParam }) =>
      call('events.page', {
        fileId,
        conversationId,
        afterSeq: pageParam,
        limit: PAGE,
        contentChars: CONTENT_CHARS,
      }),
    initialPageParam: startAfter,
    getNextPageParam: (page) => page.nextAfterSeq,
    // Scrolling up from the middle (after End or a jump) loads the page before: never a one-way window.
    getPreviousPageParam: (_first, _all, firstParam) =>
      firstParam !== null && firstParam > 0 ? Math.max(0, firstParam - PAGE) : undefined,
    // Moving to another part of the conversation keeps what is shown until the new part is in.
    placeholderData: keepPreviousData,
  })
  // A page before may overlap the next one (compaction leaves seq gaps): each event once, in order.
  const events = useMemo(() => {
    const seen = new Set<string>()
    return (pages.data?.pages ?? [])
      .flatMap((p) => p.events)
      .filter((e) => !seen.has(e.id) && Boolean(seen.add(e.id)))
  }, [pages.data])
  const items = useMemo(() => timelineItems(events), [events])
  const links = useMemo(() => toolCallLinks(events), [events])
  const scroller = useRef<HTMLDivElement>(null)
  const [active, setActive] = useState<number | null>(null)
  const [highlight, setHighlight] = useState<string | null>(null)
  const hasMore = pages.hasNextPage
  const virtualizer = useVirtualizer({
    count: items.length + (hasMore ? 1 : 0),
    getScrollElement: () => scroller.current,
    estimateSize: () => 140,
    overscan: 6,
    getItemKey: (index) => items[index]?.key ?? 'more',
  })
  const virtualItems = virtualizer.getVirtualItems()

  // Reaching the end loads the next page.
  const lastIndex = virtualItems.at(-1)?.index
  useEffect(() => {
    if (lastIndex !== undefined && lastIndex >= items.length && hasMore && !pages.isFetchingNextPage)
      void pages.fetchNextPage()
  }, [lastIndex, items.length, hasMore, pages])

  // Reaching the top loads the page before, keeping the events on screen where they are: the scroll
  // position moves down by the height of what was added above (before the browser paints).
  const firstIndex = virtualItems[0]?.index
  const anchor = useRef<string | null>(null)
  useEffect(() => {
    if (firstIndex !== 0 || !pages.hasPreviousPage || pages.isFetchingPreviousPage || !events[0]) return
    anchor.current = events[0].id
    void pages.fetchPreviousPage()
  }, [firstIndex, pages, events])
  useLayoutEffect(() => {
    const id = anchor.current
    const el = scroller.current
    if (id === null || !el || events[0]?.id === id) return
    anchor.current = null
    const index = items.findIndex((i) => (i.kind === 'event' ? [i.event] : i.events).some((e) => e.id === id))
    if (index <= 0) return
    el.scrollTop += virtualizer.measurementsCache[index]?.start ?? 0
    setActive((a) => (a === null ? a : a + index))
  }, [events, items, virtualizer])

  const jumpTo = useCallback(
    (eventId: string) => {
      const index = items.findIndex((i) =>
        i.kind === 'event' ? i.event.id === eventId : i.events.some((e) => e.id === eventId),
      )
      if (index < 0) return
      setActive(index)
      setHighlight(eventId)
      virtualizer.scrollToIndex(index, { align: 'center' })
    },
    [items, virtualizer],
  )

  // Real focus on an event card (j/k, jumps), so a screen reader reads it and ↑/↓ scroll from there.
  // The card may be rendered only once the virtualizer has scrolled: try for a few frames.
  const focusIndex = useCallback((index: number) => {
    let frames = 0
    const attempt = () => {
      const card = scroller.current?.querySelector<HTMLElement>(`[data-index="${index}"] article`)
      if (card) card.focus({ preventScroll: true })
      else if (frames++ < 10) requestAnimationFrame(attempt)
    }
    requestAnimationFrame(attempt)
  }, [])
  /** The seq last brought into view, so the address echoing it back does not jump again. */
  const jumped = useRef<number | null>(null)
  const jumpAlongLink = (eventId: string) => {
    const target = events.find((e) => e.id === eventId)
    if (!target) return
    jumped.current = target.seq
    jumpTo(eventId)
    focusIndex(items.findIndex((i) => itemSeq(i) === target.seq))
    onFocusSeq?.(target.seq, 'push')
  }

  // Bring a search hit into view: at once when its page is in, else after loading from just before it.
  useEffect(() => {
    if (focusSeq === null || jumped.current === focusSeq || !pages.data) return
    const hit = events.find((e) => e.seq >= focusSeq)
    const loaded = (events[0]?.seq ?? Infinity) <= focusSeq && (hit !== undefined || !hasMore)
    if (loaded && hit) {
      jumped.current = focusSeq
      jumpTo(hit.id)
    } else if (!loaded) {
      setStartAfter(Math.max(0, focusSeq - 20))
    }
  }, [focusSeq, events, jumpTo, pages.data, hasMore])

  const follow = useLiveFollow({
    scroller,
    virtualizer,
    itemCount: items.length,
    events,
    complete: !hasMore,
    settled: pages.data !== undefined && !pages.isPlaceholderData,
  })
  const { scrollToEnd } = follow

  // "Newest": load the last page and scroll to its end (End does the same).
  const lastSeq = pages.data?.pages[0]?.lastSeq ?? null
  const newestLoaded = lastSeq !== null && (events.at(-1)?.seq ?? -1) >= lastSeq
  const showNewest = useCallback(() => {
    if (lastSeq === null) return
    setAtNewest(true)
    if (!newestLoaded) setStartAfter(Math.max(0, lastSeq - PAGE))
  }, [lastSeq, newestLoaded])
  useEffect(() => {
    if (atNewest && newestLoaded && items.length > 0) {
      scrollToEnd()
      setAtNewest(false)
    }
  }, [atNewest, newestLoaded, items.length, scrollToEnd])

  // "First": load from the start and scroll to the top (Home does the same).
  const [atFirst, setAtFirst] = useState(false)
  const firstLoaded = !pages.hasPreviousPage && !pages.isPlaceholderData
  const { release } = follow
  const showFirst = useCallback(() => {
    release()
    setAtFirst(true)
    if (startAfter !== null && startAfter > 0) setStartAfter(null)
  }, [startAfter, release])
  useEffect(() => {
    if (!atFirst || !firstLoaded || items.length === 0) return
    virtualizer.scrollToOffset(0)
    if (scroller.current) scroller.current.scrollTop = 0
    setAtFirst(false)
  }, [atFirst, firstLoaded, items.length, virtualizer])

  // j / k move focus through events; Home and End show the first and the newest. Keys typed in a field,
  // or meant for the conversation list (it has its own), are not ours.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (isTyping(event) || items.length === 0) return
      const target = event.target as HTMLElement | null
      if (target?.closest('[role=dialog], [role=alertdialog], [role=menu]')) return
      if ((event.key === 'End' || event.key === 'Home') && !target?.closest('.sidebar')) {
        event.preventDefault()
        return event.key === 'End' ? showNewest() : showFirst()
      }
      if (event.key !== 'j' && event.key !== 'k') return
      const next = Math.min(Math.max((active ?? -1) + (event.key === 'j' ? 1 : -1), 0), items.length - 1)
      setActive(next)
      virtualizer.scrollToIndex(next, { align: 'auto' })
      focusIndex(next)
      const seq = itemSeq(items[next]!)
      jumped.current = seq
      onFocusSeq?.(seq, 'replace')
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [active, items, virtualizer, showNewest, showFirst, focusIndex, onFocusSeq])

  useMatchHighlight(scroller, matchQuery, pages.data !== undefined && items.length > 0)

  if (pages.error) return <p className="state error">{pages.error.message}</p>
  if (!pages.data) return <p className="state">Loading events…</p>
  if (items.length === 0) return <p className="state">This conversation has no events.</p>
  return (
    // Focusable, so ↑/↓/PgUp/PgDn scroll the events when this pane has focus (the browser does that).
    <div
      className="timeline-scroller"
      ref={scroller}
      data-testid="timeline"
      tabIndex={0}
      role="region"
      aria-label="Events"
      onScroll={follow.onScroll}
    >
      {follow.unseen > 0 && (
        <button className="new-events" onClick={scrollToEnd}>
          {count(follow.unseen, 'new event', 'new events')} ↓
        </button>
      )}
      {/* The pill is seen; this says it to screen readers, without moving their focus. */}
      <span className="visually-hidden" aria-live="polite">
        {follow.unseen > 0 ? `${count(follow.unseen, 'new event', 'new events')} below` : ''}
      </span>
      <div className="timeline-tools">
        {startAfter !== null && startAfter > 0 && (
          <button className="load-earlier" onClick={showFirst} title="Home">
            Show from the first event
          </button>
        )}
        {!newestLoaded && (
          <button className="load-earlier" onClick={showNewest} title="End">
            Jump to the newest events ↓
          </button>
        )}
      </div>
      <div className="timeline" style={{ height: virtualizer.getTotalSize() }}>
        {virtualItems.map((row) => {
          const item = items[row.index]
          return (
            <div
              key={row.key}
              data-index={row.index}
              ref={virtualizer.measureElement}
              className={`timeline-row${row.index === active ? ' active' : ''}${
                item && (item.kind === 'event' ? [item.event] : item.events).some((e) => e.id === highlight)
                  ? ' highlighted'
                  : ''
              }`}
              style={{ transform: `translateY(${row.start}px)` }}
            >
              {!item ? (
                <p className="state">Loading more events…</p>
              ) : item.kind === 'event' ? (
                <EventCard fileId={fileId} event={item.event} links={links} onJump={jumpAlongLink} />
              ) : (
                <DeltaGroupCard userRequestId={item.userRequestId} events={item.events} text={item.text} />
              )}
            </div>
          )
        })}
      </div>
    </div>
  )
}
