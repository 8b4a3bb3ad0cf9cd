import type { EventPreview } from '../../../../shared/api'
import { JsonTree } from '../../components/JsonTree'
import { count, eventTime } from '../../lib/format'

/** A run of streamed chunks of one reply, shown merged, with the chunks a click away. */
export function DeltaGroupCard({
  userRequestId,
  events,
  text,
}: {
  userRequestId: string
  events: EventPreview[]
  text: string
}) {
  const first = events[0]!
  const last = events.at(-1)!
  return (
    <article
      className="event meta deltas"
      data-type="assistant_delta_group"
      data-seq={first.seq}
      id={`event-${first.id}`}
      tabIndex={-1}
      aria-label={`streamed reply #${first.seq} to #${last.seq}`}
    >
      <header>
        <span className="type">streamed reply</span>
        <span className="seq">
          #{first.seq}–{last.seq}
        </span>
        <span className="badge warn">{count(events.length, 'chunk')}</span>
        <code className="request-id" title="user_request_id">
          {userRequestId}
        </code>
        {first.model && <span className="chip">{first.model}</span>}
        <time dateTime={last.created_at} title={`Stored as ${last.created_at}`}>
          {eventTime(last.created_at)}
        </time>
      </header>
      <pre className="content merged">{text}</pre>
      <details className="inspector">
        <summary>Chunks</summary>
        <ol className="chunks">
          {events.map((e) => (
            <li key={e.id}>
              <span className="seq">#{e.seq}</span> <code>{JSON.stringify(e.content)}</code>
              <JsonTree name="extra" value={e.extra} />
            </li>
          ))}
        </ol>
      </details>
    </article>
  )
}
