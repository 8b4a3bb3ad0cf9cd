import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query'
import { useEffect, useRef, useState } from 'react'
import type { FoundHit, SearchFindResult } from '../../../../shared/api'
import { asTyped } from '../../../../shared/search-terms'
import { call } from '../../lib/api'
import { dayEnd, dayStart } from '../../lib/days'
import { count, exactTime, number, timeAgo } from '../../lib/format'
import { isTyping } from '../../lib/keyboard'
import { useDebounced } from '../../lib/use-debounced'
import { Snippet } from './Snippet'

const TYPES = ['user_message', 'assistant_message', 'tool_result', 'system_update', 'meta']
/** Hits per page; "Show more" asks for the next. */
const PAGE = 50

type Order = SearchFindResult['order']

interface Props {
  fileId: string
  /** The conversation open, if one is: the search can be kept to it. */
  conversationId?: string | null
  /** Opens a hit; `query` is the search as run, whose words the conversation then finds and marks. */
  onOpen(conversationId: string, seq: number, query: string): void
}

/** How many of the matches can be paged through: relevance ranks only some of them (and says so). */
const reachable = (page: SearchFindResult): number =>
  page.order === 'relevance' ? Math.min(page.total, page.ranked) : page.total

/**
 * Search across every conversation (or the open one): `/` to focus, filters, newest first or by
 * relevance, real totals and more pages, hits with the match marked; Esc closes.
 */
export function SearchBox({ fileId, conversationId = null, onOpen }: Props) {
  const input = useRef<HTMLInputElement>(null)
  const [text, setText] = useState('')
  const [open, setOpen] = useState(false)
  const [type, setType] = useState('')
  const [model, setModel] = useState('')
  const [provider, setProvider] = useState('')
  const [from, setFrom] = useState('')
  const [to, setTo] = useState('')
  const [order, setOrder] = useState<Order>('newest')
  const [here, setHere] = useState(false)
  const inConversation = here && conversationId !== null ? conversationId : null
  const query = useDebounced({ text, type, model, provider, from, to, order, inConversation }, 200)
  const results = useInfiniteQuery({
    queryKey: [fileId, 'search', query],
    queryFn: ({ pageParam }) =>
      call('search.find', {
        fileId,
        text: asTyped(query.text),
        conversationId: query.inConversation,
        type: query.type || null,
        model: query.model || null,
        provider: query.provider || null,
        fromUnix: dayStart(query.from),
        toUnix: dayEnd(query.to),
        order: query.order,
        offset: pageParam,
        limit: PAGE,
      }),
    initialPageParam: 0,
    getNextPageParam: (last, all) => {
      const shown = all.reduce((n, p) => n + p.hits.length, 0)
      return last.hits.length > 0 && shown < reachable(last) ? shown : undefined
    },
    enabled: open && query.text.trim() !== '',
    placeholderData: keepPreviousData,
    // While the index is being built, ask again to show more of the file.
    refetchInterval: (q) => (q.state.data?.pages[0]?.status.state === 'building' ? 1000 : false),
  })

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === '/' && !isTyping(event)) {
        event.preventDefault()
        input.current?.focus()
        setOpen(true)
      } else if (event.key === 'Escape') {
        setOpen(false)
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])

  // ↓ from the field goes to the hits; ↑/↓ move along them, ↑ from the first back to the field.
  const hits = useRef<HTMLOListElement>(null)
  const hitButtons = () => [...(hits.current?.querySelectorAll<HTMLElement>('button.hit') ?? [])]
  const onHitsKey = (event: React.KeyboardEvent) => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return
    event.preventDefault()
    const all = hitButtons()
    const at = all.indexOf(document.activeElement as HTMLElement)
    const next = at + (event.key === 'ArrowDown' ? 1 : -1)
    if (next < 0) input.current?.focus()
    else all[Math.min(next, all.length - 1)]?.focus()
  }

  const pages = results.data?.pages ?? []
  const first = pages[0]
  const found = pages.flatMap((p) => p.hits)
  return (
    <div className="search">
      <input
        ref={input}
        type="search"
        aria-label="Search all conversations"
        placeholder="Search all conversations  /"
        title={'Words, "a phrase", this OR that, prefix*'}
        value={text}
        onChange={(e) => {
          setText(e.target.value)
          setOpen(true)
        }}
        onFocus={() => setOpen(true)}
        onKeyDown={(e) => {
          if (e.key !== 'ArrowDown') return
          e.preventDefault()
          hitButtons()[0]?.focus()
        }}
      />
      {open && text.trim() !== '' && (
        <div className="search-panel" role="dialog" aria-label="Search results">
          <div className="search-filters">
            <select aria-label="Event type" value={type} onChange={(e) => setType(e.target.value)}>
              <option value="">Any type</option>
              {TYPES.map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
            <input
              aria-label="Model"
              placeholder="Model"
              value={model}
              onChange={(e) => setModel(e.target.value)}
            />
            <input
              aria-label="Provider"
              placeholder="Provider"
              value={provider}
              onChange={(e) => setProvider(e.target.value)}
            />
            <input aria-label="From" type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
            <input aria-label="To" type="date" value={to} onChange={(e) => setTo(e.target.value)} />
            <button
              className="copy"
              onClick={() => setOpen(false)}
              aria-label="Close search"
              title="Close (Esc)"
            >
              Close
            </button>
          </div>
          <div className="search-filters">
            <div className="order" role="group" aria-label="Order">
              {(['newest', 'relevance'] as const).map((o) => (
                <button key={o} className="copy" aria-pressed={order === o} onClick={() => setOrder(o)}>
                  {o === 'newest' ? 'Newest' : 'Relevance'}
                </button>
              ))}
            </div>
            {conversationId !== null && (
              <label className="search-here">
                <input type="checkbox" checked={here} onChange={(e) => setHere(e.target.checked)} /> This
                conversation only
              </label>
            )}
          </div>
          <p className="muted search-status" aria-live="polite">
            {results.error ? results.error.message : !first ? 'Searching…' : statusLine(first, found.length)}
          </p>
          <ol className="hits" ref={hits} onKeyDown={onHitsKey}>
            {found.map((hit) => (
              <li key={hit.event_id}>
                <button
                  className="hit"
                  onClick={() => {
                    setOpen(false)
                    onOpen(hit.conversation_id, hit.seq, query.text)
                  }}
                >
                  <span className="meta">
                    <code>{hit.conversation_id}</code> <span className="chip">{hit.type}</span> #{hit.seq}{' '}
                    {hit.model && <span className="chip">{hit.model}</span>} <Where hit={hit} />{' '}
                    <time title={exactTime(hit.created_at_unix)}>{timeAgo(hit.created_at_unix)}</time>
                  </span>
                  <Snippet text={hit.snippet} />
                </button>
              </li>
            ))}
          </ol>
          {results.hasNextPage && (
            <button
              className="copy show-more"
              disabled={results.isFetchingNextPage}
              onClick={() => void results.fetchNextPage()}
            >
              {results.isFetchingNextPage ? 'Loading…' : `Show ${number(PAGE)} more`}
            </button>
          )}
          <p className="muted search-hint">
            <code>"a phrase"</code> · <code>this OR that</code> · <code>prefix*</code> · the last word is a
            prefix until you type a space
          </p>
        </div>
      )}
    </div>
  )
}

/** "1,234 matches · showing 50", how far indexing got, and when relevance could not rank them all. */
function statusLine(first: SearchFindResult, shown: number): string {
  const parts = [
    first.total === 0 ? 'No match' : count(first.total, 'match', 'matches'),
    ...(first.total > shown && shown > 0 ? [`showing ${number(shown)}`] : []),
  ]
  if (first.capped)
    parts.push(
      `best first among the newest ${number(first.ranked)} (older matches are not ranked: Newest pages through all)`,
    )
  const status = first.status
  const building =
    status.state === 'building'
      ? ` so far: indexing ${Math.floor((100 * status.indexed) / Math.max(status.total, 1))}% of the file…`
      : ''
  return parts.join(' · ') + building
}

/** Where the match is when not in the text: the tool call (by its function name) or the ids. */
function Where({ hit }: { hit: FoundHit }) {
  if (hit.matched !== 'detail') return null
  return hit.tool ? (
    <span className="chip where">
      in tool call <code>{hit.tool}</code>
    </span>
  ) : (
    <span className="chip where">in ids</span>
  )
}
