import { useQuery } from '@tanstack/react-query'
import { useVirtualizer } from '@tanstack/react-virtual'
import { memo, useEffect, useId, useMemo, useRef, useState } from 'react'
import { call } from '../../lib/api'
import { dayEnd, dayStart } from '../../lib/days'
import { useDebounced } from '../../lib/use-debounced'
import { ConversationRow, PlaceholderRow, type ListRow } from './ConversationRow'
import { FilterPanel } from './FilterPanel'
import { activeFilters, isFiltered, NO_FILTERS, toQuery, type ListFilters } from './list-filters'
import { ListStatus } from './ListStatus'
import { SelectionBar } from './SelectionBar'
import { useIndexReady } from './use-index-ready'
import { useIndexedRows, type RowRange } from './use-indexed-rows'
import { useKeysetRows } from './use-keyset-rows'
import { usePicked } from './use-picked'
import { useRowFocus } from './use-row-focus'
import './conversation-list.css'

const ROW_HEIGHT = 62

interface Props {
  fileId: string
  selected: string | null
  onSelect(conversationId: string): void
}

/**
 * Conversations, last activity first. Until the file's index is built: plain keyset pages (the first
 * needs no index), filtered by text. Then the whole list from the index: filters with counts, a
 * scrollbar over every conversation (pages fetched for the rows on screen), and a date to go to.
 */
export const ConversationList = memo(function ConversationList({ fileId, selected, onSelect }: Props) {
  const [filters, setFilters] = useState<ListFilters>(NO_FILTERS)
  const text = useDebounced(filters.text, 250).trim()
  const query = useMemo(() => toQuery({ ...filters, text }), [filters, text])
  const filtered = isFiltered({ ...filters, text })

  const index = useIndexReady(fileId)
  const [range, setRange] = useState<RowRange>({ start: 0, end: 0 })
  const indexed = useIndexedRows(fileId, query, range, index.ready)
  const head = indexed.head
  // A deleted or replaced index starts again from nothing: plain pages until it is nearly there. Rows
  // another program just wrote (a few at a time) are caught up within the index's answers instead.
  const behind = head?.status.state === 'building' ? head.status.total - head.status.indexed : 0
  const rebuilding = behind > Math.max(5000, (head?.status.total ?? 0) * 0.05)
  const fromIndex = index.ready && head !== undefined && !rebuilding
  const keyset = useKeysetRows(fileId, text, filters.sort, !fromIndex)
  const all = useQuery({
    queryKey: [fileId, 'conversations.query', 'all'],
    queryFn: () => call('conversations.query', { fileId, limit: 1 }),
    enabled: fromIndex && filtered,
    refetchInterval: (q) => (q.state.data?.status.state === 'building' ? 600 : false),
  })

  const count = fromIndex ? head.total : keyset.rows.length + (keyset.hasMore ? 1 : 0)
  const rowAt = (i: number): ListRow | undefined => (fromIndex ? indexed.rowAt(i) : keyset.rows[i])
  const scroller = useRef<HTMLDivElement>(null)
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
  })
  const visible = virtualizer.getVirtualItems()
  const first = visible[0]?.index ?? 0
  const last = visible.at(-1)?.index ?? 0
  useEffect(() => {
    setRange((now) => (now.start === first && now.end === last ? now : { start: first, end: last }))
    if (!fromIndex) keyset.reach(last)
  }, [first, last, fromIndex, keyset])

  const { picked, toggle, clear } = usePicked()
  const focus = useRowFocus(scroller, virtualizer, count, ROW_HEIGHT, (i) => {
    const row = rowAt(i)
    if (row) toggle(row.conversation_id)
  })
  // The row Tab lands on: the focused one, or, when that one has scrolled out of the page, the first shown.
  const tabStop = visible.some((v) => v.index === focus.focused) ? focus.focused : first

  // Other filters: the list starts at its top again.
  const queryKey = JSON.stringify(query)
  const shownFor = useRef(queryKey)
  const { setFocused } = focus
  useEffect(() => {
    if (shownFor.current === queryKey) return
    shownFor.current = queryKey
    virtualizer.scrollToOffset(0)
    setFocused(0)
  }, [queryKey, virtualizer, setFocused])

  const [notice, setNotice] = useState('')
  const jump = async (day: string) => {
    const atUnix = dayEnd(day)
    if (atUnix === null || !fromIndex) return
    try {
      const { offset } = await call('conversations.position', { fileId, ...query, atUnix })
      const when = new Date(dayStart(day)! * 1000).toLocaleDateString(undefined, { dateStyle: 'medium' })
      if (offset >= count) {
        setNotice(`no conversation on or before ${when}`)
        return
      }
      virtualizer.scrollToIndex(offset, { align: 'start' })
      setFocused(offset)
      setNotice(`${when}: row ${(offset + 1).toLocaleString()}`)
    } catch (error) {
      setNotice((error as Error).message)
    }
  }
  useEffect(() => setNotice(''), [queryKey])

  const [panelOpen, setPanelOpen] = useState(false)
  const panelId = useId()
  const panelButton = useRef<HTMLButtonElement>(null)
  const narrowing = activeFilters(filters).length
  const error = fromIndex ? indexed.error : keyset.error
  const loaded = fromIndex || keyset.loaded

  return (
    <div className="conversations">
      <div className="list-tools">
        <input
          type="search"
          placeholder="Id or text"
          aria-label="Filter conversations"
          value={filters.text}
          onChange={(e) => setFilters({ ...filters, text: e.target.value })}
          onKeyDown={(e) =>
            e.key === 'Escape' && (setFilters({ ...filters, text: '' }), e.currentTarget.blur())
          }
        />
        <select
          aria-label="Sort conversations"
          value={filters.sort}
          onChange={(e) => setFilters({ ...filters, sort: e.target.value as ListFilters['sort'] })}
        >
          <option value="last">Recent</option>
          <option value="first">Started</option>
        </select>
        <button
          className={`filters-button${panelOpen ? ' open' : ''}`}
          aria-expanded={panelOpen}
          aria-controls={panelId}
          onClick={() => setPanelOpen(!panelOpen)}
          ref={panelButton}
        >
          Filters
          {narrowing > 0 && <span className="filters-active"> · {narrowing}</span>}
        </button>
      </div>
      {panelOpen && (
        <FilterPanel
          id={panelId}
          onClose={() => {
            setPanelOpen(false)
            panelButton.current?.focus()
          }}
          filters={filters}
          onChange={setFilters}
          facets={fromIndex ? head.facets : undefined}
          onJump={(day) => void jump(day)}
        />
      )}
      <ListStatus
        filters={filters}
        onChange={setFilters}
        building={fromIndex ? undefined : (head?.status ?? index.status)}
        matching={fromIndex ? head.total : undefined}
        all={fromIndex ? (filtered ? all.data?.total : head.total) : undefined}
        filtered={filtered}
        notice={notice}
      />
      <SelectionBar fileId={fileId} picked={picked} onClear={clear} />
      {error ? (
        <p className="state error">{error.message}</p>
      ) : !loaded ? (
        <p className="state">Loading conversations…</p>
      ) : count === 0 ? (
        <p className="state">
          {!filtered
            ? 'This file has no conversations yet.'
            : narrowing === 0
              ? `No conversation matches “${text}”.`
              : 'No conversation matches these filters.'}
        </p>
      ) : (
        <div className="list-scroller" ref={scroller} onKeyDown={focus.onKeyDown} onFocus={focus.onFocus}>
          <ol
            className="conversation-list"
            aria-label={`Conversations, ${filters.sort === 'last' ? 'last activity' : 'started'} first`}
            aria-busy={fromIndex && indexed.stale}
            style={{ height: virtualizer.getTotalSize() }}
          >
            {visible.map((v) => {
              const row = rowAt(v.index)
              return (
                <li
                  key={v.key}
                  data-index={v.index}
                  className="list-row"
                  aria-posinset={v.index + 1}
                  aria-setsize={fromIndex ? count : -1}
                  style={{ transform: `translateY(${v.start}px)`, height: ROW_HEIGHT }}
                >
                  {row ? (
                    <ConversationRow
                      row={row}
                      sort={filters.sort}
                      selected={row.conversation_id === selected}
                      picked={picked.has(row.conversation_id)}
                      tabbable={v.index === tabStop}
                      onSelect={(event) => {
                        setFocused(v.index)
                        if (event.ctrlKey || event.metaKey) toggle(row.conversation_id)
                        else onSelect(row.conversation_id)
                      }}
                    />
                  ) : (
                    <PlaceholderRow />
                  )}
                </li>
              )
            })}
          </ol>
        </div>
      )}
    </div>
  )
})
