import { useInfiniteQuery, useQuery } from '@tanstack/react-query'
import type { ConversationStats, ConversationSummary, ListCursor } from '../../../../shared/api'
import { LoadMore } from '../../components/LoadMore'
import { call } from '../../lib/api'
import { exactTime, timeAgo } from '../../lib/format'

const PAGE = 100

interface Props {
  fileId: string
  selected: string | null
  onSelect(conversationId: string): void
}

export function ConversationList({ fileId, selected, onSelect }: Props) {
  const pages = useInfiniteQuery({
    queryKey: [fileId, 'conversations'],
    queryFn: ({ pageParam }) => call('conversations.list', { fileId, limit: PAGE, cursor: pageParam }),
    initialPageParam: null as ListCursor | null,
    getNextPageParam: (page) => page.next,
  })
  if (pages.error) return <p className="state error">{pages.error.message}</p>
  if (!pages.data) return <p className="state">Loading conversations…</p>
  if (pages.data.pages[0]!.conversations.length === 0)
    return <p className="state">This file has no conversations yet.</p>
  return (
    <ol className="conversation-list">
      {pages.data.pages.map((page, i) => (
        <PageRows key={i} fileId={fileId} rows={page.conversations} selected={selected} onSelect={onSelect} />
      ))}
      <LoadMore query={pages} label="Load more conversations" />
    </ol>
  )
}

function PageRows({ fileId, rows, selected, onSelect }: Props & { rows: ConversationSummary[] }) {
  const ids = rows.map((r) => r.conversation_id)
  // Models and pending deltas read every row of a conversation: asked per page, after the list shows.
  const stats = useQuery({
    queryKey: [fileId, 'stats', ids],
    queryFn: () => call('conversations.stats', { fileId, conversationIds: ids }),
    enabled: ids.length > 0,
  })
  const byId = new Map<string, ConversationStats>(stats.data?.map((s) => [s.conversation_id, s]))
  return rows.map((row) => (
    <li key={row.conversation_id}>
      <button
        className={`conversation${row.conversation_id === selected ? ' selected' : ''}`}
        onClick={() => onSelect(row.conversation_id)}
        aria-current={row.conversation_id === selected}
      >
        <span className="title">{row.preview || row.conversation_id}</span>
        <span className="meta">
          <time title={exactTime(row.last_activity_unix)}>{timeAgo(row.last_activity_unix)}</time>
          <span>{row.event_count} events</span>
          {byId.get(row.conversation_id)?.models.map((m) => (
            <span key={m} className="chip">
              {m}
            </span>
          ))}
          {(byId.get(row.conversation_id)?.pending_deltas ?? 0) > 0 && (
            <span className="badge warn" title="Streamed chunks without a compacted reply">
              {byId.get(row.conversation_id)!.pending_deltas} pending deltas
            </span>
          )}
        </span>
      </button>
    </li>
  ))
}
