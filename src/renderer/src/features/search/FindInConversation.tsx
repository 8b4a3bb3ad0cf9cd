import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { call } from '../../lib/api'
import { useDebounced } from '../../lib/use-debounced'

interface Props {
  fileId: string
  conversationId: string
  onFocusSeq(seq: number): void
}

/** Find inside the open conversation: hits in order, next and previous. */
export function FindInConversation({ fileId, conversationId, onFocusSeq }: Props) {
  const [text, setText] = useState('')
  const [current, setCurrent] = useState(-1)
  const query = useDebounced(text, 200)
  const hits = useQuery({
    queryKey: [fileId, 'find', conversationId, query],
    queryFn: () => call('search.query', { fileId, conversationId, text: query, limit: 500 }),
    enabled: query.trim() !== '',
  })
  const seqs = hits.data?.hits.map((h) => h.seq) ?? []
  const go = (step: number) => {
    if (seqs.length === 0) return
    const next = (current + step + seqs.length) % seqs.length
    setCurrent(next)
    onFocusSeq(seqs[next]!)
  }
  return (
    <div className="find">
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
      {query.trim() !== '' && (
        <span className="muted find-count">
          {seqs.length === 0 ? 'no match' : `${current + 1} of ${seqs.length}`}
        </span>
      )}
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
    </div>
  )
}
