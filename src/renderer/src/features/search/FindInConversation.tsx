import { useQuery } from '@tanstack/react-query'
import { useEffect, useState } from 'react'
import { call } from '../../lib/api'
import { number } from '../../lib/format'
import { useDebounced } from '../../lib/use-debounced'

interface Props {
  fileId: string
  conversationId: string
  /** The query from the address (kept there so a reload or a shared link finds the same). */
  query: string
  onQuery(query: string): void
  onFocusSeq(seq: number): void
}

/** Find inside the open conversation: hits in order, next and previous. */
export function FindInConversation({ fileId, conversationId, query: initial, onQuery, onFocusSeq }: Props) {
  const [text, setText] = useState(initial)
  const [current, setCurrent] = useState(-1)
  const query = useDebounced(text, 200)
  useEffect(() => onQuery(query), [query]) // eslint-disable-line react-hooks/exhaustive-deps -- only when the query changes
  const hits = useQuery({
    queryKey: [fileId, 'find', conversationId, query],
    queryFn: () => call('search.query', { fileId, conversationId, text: query, limit: 500 }),
    enabled: query.trim() !== '',
    // While the index is being built the answer is partial: ask again until it is whole.
    refetchInterval: (q) => (q.state.data?.status.state === 'building' ? 700 : false),
  })
  const seqs = hits.data?.hits.map((h) => h.seq) ?? []
  const status = hits.data?.status
  const go = (step: number) => {
    if (seqs.length === 0) return
    const next = (current + step + seqs.length) % seqs.length
    setCurrent(next)
    onFocusSeq(seqs[next]!)
  }
  const counter =
    query.trim() === ''
      ? ''
      : hits.error
        ? 'search failed'
        : !status
          ? 'searching…'
          : status.state === 'building'
            ? `indexing… ${Math.floor((100 * status.indexed) / Math.max(status.total, 1))}%`
            : seqs.length === 0
              ? 'no match'
              : `${current < 0 ? '–' : number(current + 1)} of ${number(seqs.length)}`
  return (
    <div className="find" role="search" aria-label="In this conversation">
      <input
        type="search"
        aria-label="Find in conversation"
        placeholder="Find in conversation"
        value={text}
        onChange={(e) => {
          setText(e.target.value)
          setCurrent(-1)
        }}
        onKeyDown={(e) => e.key === 'Enter' && go(e.shiftKey ? -1 : 1)}
      />
      <button
        className="copy"
        aria-label="Previous match"
        onClick={() => go(-1)}
        disabled={seqs.length === 0}
      >
        ↑
      </button>
      <button className="copy" aria-label="Next match" onClick={() => go(1)} disabled={seqs.length === 0}>
        ↓
      </button>
      {/* Always there, with room for its longest text, so the header does not move as it changes. */}
      <span className="muted find-count" aria-live="polite" title={hits.error?.message}>
        {counter}
      </span>
    </div>
  )
}
