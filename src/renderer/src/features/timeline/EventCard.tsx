import { useState } from 'react'
import type { EventPreview } from '../../../../shared/api'
import { call } from '../../lib/api'
import { prettyJson } from '../../lib/format'

const KIND: Record<string, string> = {
  user_message: 'user',
  assistant_message: 'assistant',
  tool_result: 'tool',
  system_update: 'system',
  meta: 'meta',
}

/** One event: what it is, when, from which model, its content (as text: never HTML), and its JSON. */
export function EventCard({ fileId, event }: { fileId: string; event: EventPreview }) {
  const [full, setFull] = useState<string | null>(null)
  const [loadError, setLoadError] = useState<string | null>(null)
  const kind = KIND[event.type] ?? 'unknown'
  const text = full ?? contentText(event.content)
  const showAll = async () => {
    try {
      const whole = await call('events.get', {
        fileId,
        conversationId: event.conversation_id,
        eventId: event.id,
      })
      setFull(contentText(whole.content))
    } catch (error) {
      setLoadError((error as Error).message)
    }
  }
  const visible = event.extra.visible_to_model
  return (
    <article className={`event ${kind}`} data-type={event.type}>
      <header>
        <span className="type">{event.type}</span>
        <span className="seq">#{event.seq}</span>
        <time dateTime={event.created_at}>{event.created_at}</time>
        {[event.role, event.provider, event.model, event.stop_reason && `stop: ${event.stop_reason}`]
          .filter(Boolean)
          .map((fact) => (
            <span key={String(fact)} className="chip">
              {fact}
            </span>
          ))}
        {event.type === 'system_update' && (
          <span className={`badge ${visible === true ? '' : 'warn'}`}>
            {visible === true ? 'visible to model' : 'hidden from model'}
          </span>
        )}
      </header>
      {text !== '' && (
        <pre className="content">{event.type === 'tool_result' ? (prettyJson(text) ?? text) : text}</pre>
      )}
      {event.content_truncated && full === null && (
        <button className="link" onClick={showAll}>
          Show all ({event.content_length.toLocaleString()} characters)
        </button>
      )}
      {loadError && <p className="error">{loadError}</p>}
      {event.tool_calls.map((callItem) => (
        <div key={callItem.id} className="tool-call">
          <span className="chip">tool call</span> <code>{callItem.function.name}</code>{' '}
          <code>{callItem.id}</code>
          <pre>{prettyJson(callItem.function.arguments) ?? callItem.function.arguments}</pre>
        </div>
      ))}
      <details>
        <summary>JSON</summary>
        <pre>
          {JSON.stringify({ extra: event.extra, raw: event.raw, tool_calls: event.tool_calls }, null, 2)}
        </pre>
        {event.invalid_json && (
          <p className="badge error">Not valid JSON: {Object.keys(event.invalid_json).join(', ')}</p>
        )}
      </details>
    </article>
  )
}

function contentText(content: EventPreview['content']): string {
  if (content === null) return ''
  return typeof content === 'string' ? content : JSON.stringify(content, null, 2)
}
