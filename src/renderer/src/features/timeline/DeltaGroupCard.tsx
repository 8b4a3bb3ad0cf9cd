import type { EventPreview } from '../../../../shared/api'
import { JsonTree } from '../../components/JsonTree'

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
    <article className="event meta deltas" data-type="assistant_delta_group" id={`event-${first.id}`}>
      <header>
        <span className="type">streamed reply</span>
        <span className="seq">
          #{first.seq}–{last.seq}
        </span>
        <span className="badge warn">{events.length} chunks</span>
        <code className="request-id" title="user_request_id">
          {userRequestId}
        </code>
        {first.model && <span className="chip">{first.model}</span>}
        <time dateTime={last.created_at}>{last.created_at.replace('T', ' ').slice(0, 19)}</time>
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
