import { useQuery } from '@tanstack/react-query'
import { useEffect, useMemo, useRef, useState } from 'react'
import { asTyped } from '../../../../shared/search-terms'
import { call } from '../../lib/api'
import { number } from '../../lib/format'
import { useDebounced } from '../../lib/use-debounced'

/** Matches stepped through (the newest ones, in seq order, when a conversation has more). */
const STEPPED = 500

interface Props {
  fileId: string
  conversationId: string
  /**
   * The query from the address (kept there so a reload or a shared link finds the same). A search hit
   * opened puts its query here: the same words are found, counted and marked in this conversation.
   */
  query: string
  /** The event shown (a search hit): the count starts from it. */
  focusSeq?: number | null
  onQuery(query: string): void
  onFocusSeq(seq: number): void
}

/** Find inside the open conversation, with the same syntax as search: hits in order, next and previous. */
export function FindInConversation({
  fileId,
  conversationId,
  query: initial,
  focusSeq = null,
  onQuery,
  onFocusSeq,
}: Props) {
  const [text, setText] = useState(initial)
  const [current, setCurrent] = useState(-1)
  const query = useDebounced(text, 200)
  // What this box last put in the address; another query arriving there (a search hit opened) replaces
  // the text, while the address echoing what was typed does not.
  const sent = useRef(initial)
  useEffect(() => {
    sent.current = query
    onQuery(query)
  }, [query]) // eslint-disable-line react-hooks/exhaustive-deps -- only when the query changes
  useEffect(() => {
    if (initial === sent.current) return
    sent.current = initial
    setText(initial)
    setCurrent(-1)
  }, [initial])
  const hits = useQuery({
    queryKey: [fileId, 'find', conversationId, query],
    queryFn: () => call('search.find', { fileId, conversationId, text: asTyped(query), limit: STEPPED }),
    enabled: query.trim() !== '',
    // While the index is being built the answer is partial: ask again until it is whole.
    refetchInterval: (q) => (q.state.data?.status.state === 'building' ? 700 : false),
  })
  const seqs = useMemo(
    () => [...new Set(hits.data?.hits.map((h) => h.seq) ?? [])].sort((a, b) => a - b),
    [hits.data],
  )
  // Opened at a hit: the count says which one it is.
  useEffect(() => {
    if (current === -1 && focusSeq !== null && seqs.includes(focusSeq)) setCurrent(seqs.indexOf(focusSeq))
  }, [seqs, focusSeq]) // eslint-disable-line react-hooks/exhaustive-deps -- only when new hits or a new hit arrive
  const status = hits.data?.status
  const more = (hits.data?.total ?? 0) > seqs.length ? '+' : ''
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
              : `${current < 0 ? '–' : number(current + 1)} of ${number(seqs.length)}${more}`
  return (
    <div className="find" role="search" aria-label="In this conversation">
      <input
        type="search"
        aria-label="Find in conversation"
        placeholder="Find in conversation"
        title={'Words, "a phrase", this OR that, prefix*'}
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
