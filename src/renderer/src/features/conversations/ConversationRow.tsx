import type { ConversationSummary, IndexedConversation } from '../../../../shared/api'
import { count, exactTime, number, timeAgo } from '../../lib/format'
import type { Sort } from './list-filters'

/** A row as the list has it: plain pages have no index fields yet. */
export type ListRow = ConversationSummary & Partial<IndexedConversation>

interface Props {
  row: ListRow
  sort: Sort
  selected: boolean
  picked: boolean
  /** The list's one tab stop. */
  tabbable: boolean
  onSelect(event: React.MouseEvent): void
}

/** One conversation: its first question, badges for what needs a look, when, how long, which models. */
export function ConversationRow({ row, sort, selected, picked, tabbable, onSelect }: Props) {
  // By when it started, the list shows that; otherwise the last activity (the seed's recency).
  const started = sort === 'first' && row.first_activity_unix !== undefined
  const time = started ? row.first_activity_unix! : row.last_activity_unix
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
        <Badges row={row} />
      </span>
      <span className="meta">
        <time title={`${started ? 'Started' : 'Last activity'}: ${exactTime(time)}`}>{timeAgo(time)}</time>
        <span>{count(row.event_count, 'event')}</span>
        {row.models?.map((m) => (
          <span key={m} className="chip">
            {m}
          </span>
        ))}
        <code className="row-id">{row.conversation_id}</code>
      </span>
    </button>
  )
}

/**
 * Each thing once: streamed chunks not compacted yet (a warning: Clean up merges them), and tool calls
 * without a result (a problem). The "has problems" filter finds either.
 */
function Badges({ row }: { row: ListRow }) {
  const pending = row.pending_deltas ?? 0
  const unanswered = row.calls_without_result ?? 0
  const replies = row.pending_replies ?? 0
  return (
    <>
      {unanswered > 0 && (
        <span
          className="badge error"
          title={`${count(unanswered, 'tool call')} without a result: the Problems tab shows ${unanswered === 1 ? 'it' : 'them'}`}
        >
          {count(unanswered, 'problem')}
        </span>
      )}
      {pending > 0 && (
        <span
          className="badge warn"
          title={`${count(pending, 'streamed chunk')}${replies > 0 ? ` of ${count(replies, 'reply', 'replies')}` : ''} not compacted into a message yet (Clean up merges them)`}
        >
          {number(pending)} pending
        </span>
      )}
    </>
  )
}

/** A row not fetched yet: its place in the list, while its page comes. */
export function PlaceholderRow() {
  return (
    <div className="conversation placeholder" aria-hidden="true">
      <span className="placeholder-line" />
      <span className="placeholder-line short" />
    </div>
  )
}
