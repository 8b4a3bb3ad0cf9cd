import { useQuery } from '@tanstack/react-query'
import { useEffect, useRef, useState } from 'react'
import { call } from '../../lib/api'
import { count, exactTime, timeAgo } from '../../lib/format'
import { isTyping } from '../../lib/keyboard'
import { useDebounced } from '../../lib/use-debounced'
import { Snippet } from './Snippet'

const TYPES = ['user_message', 'assistant_message', 'tool_result', 'system_update', 'meta']

interface Props {
  fileId: string
  onOpen(conversationId: string, seq: number): void
}

const toUnix = (date: string, endOfDay = false): number | null =>
  date ? Date.parse(`${date}T${endOfDay ? '23:59:59' : '00:00:00'}Z`) / 1000 : null

/** Search across every conversation: `/` to focus, filters, hits with the match marked; Esc closes. */
export function SearchBox({ fileId, onOpen }: Props) {
  const input = useRef<HTMLInputElement>(null)
  const [text, setText] = useState('')
  const [open, setOpen] = useState(false)
  const [type, setType] = useState('')
  const [model, setModel] = useState('')
  const [provider, setProvider] = useState('')
  const [from, setFrom] = useState('')
  const [to, setTo] = useState('')
  const query = useDebounced({ text, type, model, provider, from, to }, 200)
  const results = useQuery({
    queryKey: [fileId, 'search', query],
    queryFn: () =>
      call('search.query', {
        fileId,
        text: query.text,
        type: query.type || null,
        model: query.model || null,
        provider: query.provider || null,
        fromUnix: toUnix(query.from),
        toUnix: toUnix(query.to, true),
        limit: 50,
      }),
    enabled: open && query.text.trim() !== '',
    placeholderData: (previous) => previous,
    // While the index is being built, ask again to show more of the file.
    refetchInterval: (q) => (q.state.data?.status.state === 'building' ? 1000 : false),
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

  const status = results.data?.status
  return (
    <div className="search">
      <input
        ref={input}
        type="search"
        aria-label="Search all conversations"
        placeholder="Search all conversations  /"
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
          <p className="muted search-status">
            {results.error
              ? results.error.message
              : !status
                ? 'Searching…'
                : `${results.data!.hits.length === 50 ? 'The best 50 hits' : count(results.data!.hits.length, 'hit')}${
                    status.state === 'building'
                      ? ` so far: indexing ${Math.floor((100 * status.indexed) / Math.max(status.total, 1))}% of the file…`
                      : ''
                  }`}
          </p>
          <ol className="hits" ref={hits} onKeyDown={onHitsKey}>
            {results.data?.hits.map((hit) => (
              <li key={hit.event_id}>
                <button
                  className="hit"
                  onClick={() => {
                    setOpen(false)
                    onOpen(hit.conversation_id, hit.seq)
                  }}
                >
                  <span className="meta">
                    <code>{hit.conversation_id}</code> <span className="chip">{hit.type}</span> #{hit.seq}{' '}
                    {hit.model && <span className="chip">{hit.model}</span>}{' '}
                    <time title={exactTime(hit.created_at_unix)}>{timeAgo(hit.created_at_unix)}</time>
                  </span>
                  <Snippet text={hit.snippet} />
                </button>
              </li>
            ))}
          </ol>
        </div>
      )}
    </div>
  )
}
