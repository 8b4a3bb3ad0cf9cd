import { useState } from 'react'
import type { EventPreview } from '../../../../shared/api'
import { CopyButton } from '../../components/CopyButton'
import { JsonTree } from '../../components/JsonTree'
import { Markdown } from '../../components/Markdown'
import { call, inBrowser } from '../../lib/api'
import { eventTime, number, prettyJson } from '../../lib/format'
import { placeUrl } from '../../lib/use-address'
import { Collapsible } from '../../components/Collapsible'
import type { ToolLink } from './timeline-items'

const KIND: Record<string, string> = {
  user_message: 'user',
  assistant_message: 'assistant',
  tool_result: 'tool',
  system_update: 'system',
  meta: 'meta',
}

interface Props {
  fileId: string
  event: EventPreview
  links: Map<string, ToolLink>
  onJump(eventId: string): void
}

/** One event: what it is, when, from which model, its content (never raw HTML), and its JSON. */
export function EventCard({ fileId, event, links, onJump }: Props) {
  const [full, setFull] = useState<EventPreview['content'] | null>(null)
  const [loadError, setLoadError] = useState<string | null>(null)
  const kind = KIND[event.type] ?? 'unknown'
  const content = full ?? event.content
  const showAll = async () => {
    try {
      const whole = await call('events.get', {
        fileId,
        conversationId: event.conversation_id,
        eventId: event.id,
      })
      setFull(whole.content)
    } catch (error) {
      setLoadError((error as Error).message)
    }
  }
  const answers = typeof event.extra.tool_call_id === 'string' ? event.extra.tool_call_id : undefined
  const requestIds = [event.extra.request_id, event.extra.user_request_id].filter(
    (v) => typeof v === 'string',
  )
  const link = answers ? links.get(answers) : undefined
  const eventLink = placeUrl({
    conversation: event.conversation_id,
    event: event.seq,
    tab: 'timeline',
    find: '',
  })
  return (
    // Focusable (not in the tab order): j/k move focus here, so a screen reader reads the event.
    <article
      className={`event ${kind}`}
      data-type={event.type}
      data-seq={event.seq}
      id={`event-${event.id}`}
      tabIndex={-1}
      aria-label={`${event.type} #${event.seq}`}
    >
      <header>
        <span className="type">{event.type}</span>
        {kind === 'unknown' && <span className="badge warn">unknown type</span>}
        {link?.name && (
          <code className="function" title="The function whose result this is">
            {link.name}
          </code>
        )}
        <span className="seq">#{event.seq}</span>
        <time dateTime={event.created_at} title={`Stored as ${event.created_at}`}>
          {eventTime(event.created_at)}
        </time>
        {[event.role, event.provider, event.model, event.stop_reason && `stop: ${event.stop_reason}`]
          .filter(Boolean)
          .map((fact) => (
            <span key={String(fact)} className="chip">
              {fact}
            </span>
          ))}
        {requestIds.map((id) => (
          <code key={String(id)} className="request-id" title="request id">
            {String(id)}
          </code>
        ))}
        {event.type === 'system_update' && (
          <span className={`badge ${event.extra.visible_to_model === true ? '' : 'warn'}`}>
            {event.extra.visible_to_model === true ? 'visible to model' : 'hidden from model'}
          </span>
        )}
        {event.invalid_json && (
          <span className="badge error">invalid JSON: {Object.keys(event.invalid_json).join(', ')}</span>
        )}
        <span className="spacer" />
        {inBrowser && <CopyButton label="Copy link" text={eventLink} />}
        <CopyButton label="Copy JSON" text={JSON.stringify({ ...event, content }, null, 2)} />
      </header>
      {answers && (
        <p className="link-line">
          Result of <code>{answers}</code>{' '}
          {link?.call ? (
            <button className="link" onClick={() => onJump(link.call!)}>
              ↑ go to the call
            </button>
          ) : (
            <span className="badge warn">no matching call</span>
          )}
        </p>
      )}
      <Collapsible long={isLong(content)}>
        <Content event={event} content={content} />
      </Collapsible>
      {event.content_truncated && full === null && (
        <button className="link" onClick={() => void showAll()}>
          Show all ({number(event.content_length)} characters)
        </button>
      )}
      {loadError && <p className="error">{loadError}</p>}
      {event.tool_calls.map((toolCall) => (
        <div key={toolCall.id} className="tool-call">
          <span className="chip">tool call</span> <code className="function">{toolCall.function?.name}</code>{' '}
          <code>{toolCall.id}</code>{' '}
          {links.get(toolCall.id)?.result ? (
            <button className="link" onClick={() => onJump(links.get(toolCall.id)!.result!)}>
              ↓ go to the result
            </button>
          ) : (
            <span className="badge warn">no result</span>
          )}
          <pre>{prettyJson(toolCall.function?.arguments ?? '') ?? toolCall.function?.arguments}</pre>
        </div>
      ))}
      <details className="inspector">
        <summary>Inspect</summary>
        <JsonTree name="extra" value={event.extra} open />
        <JsonTree name="raw" value={event.raw} />
        <JsonTree name="tool_calls" value={event.tool_calls} />
        {Object.entries(event.invalid_json ?? {}).map(([column, text]) => (
          <div key={column} className="invalid-json">
            <span className="badge error">{column} is not valid JSON</span>
            <pre>{text}</pre>
          </div>
        ))}
      </details>
    </article>
  )
}

/** Long enough to fill a screen: shown folded, with a button to unfold. */
function isLong(content: EventPreview['content']): boolean {
  const text = typeof content === 'string' ? content : JSON.stringify(content ?? '')
  return text.length > 1500 || text.split('\n', 31).length > 30
}

/** Above this, text is shown as it is: parsing megabytes of Markdown would freeze the page. */
const MARKDOWN_LIMIT = 100_000

function Content({ event, content }: { event: EventPreview; content: EventPreview['content'] }) {
  if (content === null || content === '') return null
  if (typeof content === 'string' && content.length > MARKDOWN_LIMIT)
    return <pre className="content">{content}</pre>
  if (Array.isArray(content)) {
    return (
      <div className="parts">
        {content.map((part, i) => {
          const p = part as { type?: unknown; text?: unknown }
          if (typeof p?.text === 'string') return <Markdown key={i} text={p.text} />
          return (
            <div key={i} className="part">
              <span className="chip">{typeof p?.type === 'string' ? p.type : 'part'}</span>
              <pre>{JSON.stringify(part, null, 2)}</pre>
            </div>
          )
        })}
      </div>
    )
  }
  if (event.type === 'tool_result') return <pre className="content">{prettyJson(content) ?? content}</pre>
  if (event.type === 'user_message' || event.type === 'assistant_message' || event.type === 'system_update')
    return <Markdown text={content} />
  return <pre className="content">{content}</pre>
}
