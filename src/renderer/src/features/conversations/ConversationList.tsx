import { useInfiniteQuery, useQuery } from '@tanstack/react-query'
import { useVirtualizer } from '@tanstack/react-virtual'
import { useEffect, useMemo, useRef, useState } from 'react'
import type { ConversationStats, ConversationSummary, ListCursor } from '../../../../shared/api'
import { call } from '../../lib/api'
import { count, exactTime, number, timeAgo } from '../../lib/format'
import { useDebounced } from '../../lib/use-debounced'
import { DeleteConversations } from '../cleanup/DeleteConversation'
import { ExportMenu } from '../report/ExportMenu'

const PAGE = 100
const ROW_HEIGHT = 62

interface Props {
  fileId: string
  selected: string | null
  onSelect(conversationId: string): void
}

/** Conversations, last activity first; virtualized and keyset-paged, so 100,000 of them scroll smoothly. */
export function ConversationList({ fileId, selected, onSelect }: Props) {
  const [filterText, setFilterText] = useState('')
  const [sort, setSort] = useState<'last' | 'first'>('last')
  const filter = useDebounced(filterText, 250)
  const pages = useInfiniteQuery({
    queryKey: [fileId, 'conversations', filter, sort],
    queryFn: ({ pageParam }) =>
      call('conversations.list', { fileId, limit: PAGE, cursor: pageParam, filter, sort }),
    initialPageParam: null as ListCursor | null,
    getNextPageParam: (page) => page.next,
  })
  const rows = useMemo(() => pages.data?.pages.flatMap((p) => p.conversations) ?? [], [pages.data])
  const scroller = useRef<HTMLDivElement>(null)
  const virtualizer = useVirtualizer({
    count: rows.length + (pages.hasNextPage ? 1 : 0),
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
  })
  const visible = virtualizer.getVirtualItems()
  const lastIndex = visible.at(-1)?.index
  useEffect(() => {
    if (lastIndex !== undefined && lastIndex >= rows.length && pages.hasNextPage && !pages.isFetchingNextPage)
      void pages.fetchNextPage()
  }, [lastIndex, rows.length, pages])

  // Models and pending deltas read every row of a conversation: asked for the rows on screen only.
  const onScreen = visible
    .map((v) => rows[v.index]?.conversation_id)
    .filter((id): id is string => id !== undefined)
  const stats = useQuery({
    queryKey: [fileId, 'stats', onScreen],
    queryFn: () => call('conversations.stats', { fileId, conversationIds: onScreen }),
    enabled: onScreen.length > 0,
    placeholderData: (previous) => previous,
  })
  const statsById = new Map<string, ConversationStats>(stats.data?.map((s) => [s.conversation_id, s]))

  // Ctrl/Cmd+click picks several conversations, to delete or export them together.
  const [picked, setPicked] = useState<Set<string>>(new Set())
  const toggle = (id: string) =>
    setPicked((now) => {
      const next = new Set(now)
      if (!next.delete(id)) next.add(id)
      return next
    })

  // The list is one tab stop (the focused row); ↑/↓, PgUp/PgDn, Home/End move real focus along it and
  // Enter opens, only while the list has focus: elsewhere those keys belong to what has focus.
  const [focused, setFocused] = useState(0)
  const focusRow = (index: number) => {
    const next = Math.min(Math.max(index, 0), rows.length - 1)
    setFocused(next)
    virtualizer.scrollToIndex(next)
    let frames = 0
    const attempt = () => {
      const row = scroller.current?.querySelector<HTMLElement>(`[data-index="${next}"] button`)
      if (row) row.focus({ preventScroll: true })
      else if (frames++ < 10) requestAnimationFrame(attempt)
    }
    requestAnimationFrame(attempt)
  }
  // The row Tab lands on: the focused one, or, when that one has scrolled out of the page, the first shown.
  const tabStop = visible.some((v) => v.index === focused) ? focused : (visible[0]?.index ?? 0)
  const onListKey = (event: React.KeyboardEvent) => {
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? 0) / ROW_HEIGHT) - 1)
    const to: Record<string, number> = {
      ArrowDown: focused + 1,
      ArrowUp: focused - 1,
      PageDown: focused + page,
      PageUp: focused - page,
      Home: 0,
      End: rows.length - 1,
    }
    if (rows.length === 0) return
    // Space picks the focused row (as Ctrl/Cmd+click does), Enter opens it.
    if (event.key === ' ' && rows[focused]) {
      event.preventDefault()
      toggle(rows[focused].conversation_id)
      return
    }
    if (!(event.key in to)) return
    event.preventDefault()
    focusRow(to[event.key]!)
  }

  return (
    <div className="conversations">
      <div className="list-tools">
        <input
          type="search"
          placeholder="Filter by id or text"
          aria-label="Filter conversations"
          value={filterText}
          onChange={(e) => setFilterText(e.target.value)}
          onKeyDown={(e) => e.key === 'Escape' && (setFilterText(''), e.currentTarget.blur())}
        />
        <select
          aria-label="Sort conversations"
          value={sort}
          onChange={(e) => setSort(e.target.value as 'last' | 'first')}
        >
          <option value="last">Recent</option>
          <option value="first">Started</option>
        </select>
      </div>
      {picked.size > 0 && (
        <div className="selection-bar" role="toolbar" aria-label="Selected conversations">
          <span className="selection-count">{number(picked.size)} selected</span>
          <ExportMenu fileId={fileId} conversationIds={[...picked]} name={`${picked.size}-conversations`} />
          <DeleteConversations
            fileId={fileId}
            conversationIds={[...picked]}
            label={`Delete ${picked.size}…`}
            onDeleted={() => setPicked(new Set())}
          />
          <button className="copy" onClick={() => setPicked(new Set())}>
            Clear
          </button>
        </div>
      )}
      {pages.error ? (
        <p className="state error">{pages.error.message}</p>
      ) : !pages.data ? (
        <p className="state">Loading conversations…</p>
      ) : rows.length === 0 ? (
        <p className="state">
          {filter ? `No conversation matches “${filter}”.` : 'This file has no conversations yet.'}
        </p>
      ) : (
        <div
          className="list-scroller"
          ref={scroller}
          onKeyDown={onListKey}
          onFocus={(e) => {
            const index = Number(e.target.closest('[data-index]')?.getAttribute('data-index'))
            if (Number.isInteger(index)) setFocused(index)
          }}
        >
          <ol
            className="conversation-list"
            aria-label={`Conversations, ${sort === 'last' ? 'last activity' : 'started'} first`}
            style={{ height: virtualizer.getTotalSize() }}
          >
            {visible.map((v) => {
              const row = rows[v.index]
              return (
                <li
                  key={v.key}
                  data-index={v.index}
                  className="list-row"
                  style={{ transform: `translateY(${v.start}px)`, height: ROW_HEIGHT }}
                >
                  {row ? (
                    <Row
                      row={row}
                      stats={statsById.get(row.conversation_id)}
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
                    <p className="state">Loading…</p>
                  )}
                </li>
              )
            })}
          </ol>
        </div>
      )}
    </div>
  )
}

interface RowProps {
  row: ConversationSummary
  stats?: ConversationStats
  selected: boolean
  picked: boolean
  /** The list's one tab stop. */
  tabbable: boolean
  onSelect(event: React.MouseEvent): void
}

function Row({ row, stats, selected, picked, tabbable, onSelect }: RowProps) {
  return (
    <button
      className={`conversation${selected ? ' selected' : ''}${picked ? ' picked' : ''}`}
      onClick={onSelect}
      tabIndex={tabbable ? 0 : -1}
      aria-current={selected ? 'true' : undefined}
      aria-pressed={picked}
      title={row.conversation_id}
    >
      {/* Badges share the first line with the title, which gives way: they are never cut off. */}
      <span className="first-line">
        <span className="title">{row.preview || row.conversation_id}</span>
        {(stats?.problems ?? 0) > 0 && (
          <span className="badge error" title="Integrity problems: see the conversation's Problems tab">
            {count(stats!.problems, 'problem')}
          </span>
        )}
        {(stats?.pending_deltas ?? 0) > 0 && (
          <span
            className="badge warn"
            title="Streamed chunks not yet compacted into a reply (Clean up merges them)"
          >
            {number(stats!.pending_deltas)} pending
          </span>
        )}
      </span>
      <span className="meta">
        <time title={exactTime(row.last_activity_unix)}>{timeAgo(row.last_activity_unix)}</time>
        <span>{count(row.event_count, 'event')}</span>
        {stats?.models.map((m) => (
          <span key={m} className="chip">
            {m}
          </span>
        ))}
        <code className="row-id">{row.conversation_id}</code>
      </span>
    </button>
  )
}
