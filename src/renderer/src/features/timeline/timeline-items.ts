// What the timeline shows: one item per event, except that a run of streamed chunks of one reply is one.
import type { EventPreview } from '../../../../shared/api'

export type TimelineItem =
  | { kind: 'event'; key: string; event: EventPreview }
  | { kind: 'deltas'; key: string; userRequestId: string; events: EventPreview[]; text: string }

const deltaRequest = (event: EventPreview): string | undefined =>
  event.type === 'meta' &&
  event.extra.kind === 'assistant_delta' &&
  typeof event.extra.user_request_id === 'string'
    ? event.extra.user_request_id
    : undefined

const textOf = (event: EventPreview): string => (typeof event.content === 'string' ? event.content : '')

export function timelineItems(events: readonly EventPreview[]): TimelineItem[] {
  const items: TimelineItem[] = []
  for (const event of events) {
    const request = deltaRequest(event)
    const last = items.at(-1)
    if (request !== undefined && last?.kind === 'deltas' && last.userRequestId === request) {
      last.events.push(event)
      last.text += textOf(event)
    } else if (request !== undefined) {
      items.push({
        kind: 'deltas',
        key: event.id,
        userRequestId: request,
        events: [event],
        text: textOf(event),
      })
    } else {
      items.push({ kind: 'event', key: event.id, event })
    }
  }
  return items
}

export interface ToolLink {
  /** The id of the event that made the call, and of the one that answered it. */
  call?: string
  result?: string
  /** The function called, to name it on the result's card. */
  name?: string
}

/** Where each tool call id is called and answered, to link the two both ways. */
export function toolCallLinks(events: readonly EventPreview[]): Map<string, ToolLink> {
  const links = new Map<string, ToolLink>()
  const entry = (id: string) => links.get(id) ?? links.set(id, {}).get(id)!
  for (const event of events) {
    for (const call of event.tool_calls) {
      entry(call.id).call = event.id
      if (call.function?.name) entry(call.id).name = call.function.name
    }
    const answered = event.extra.tool_call_id
    if (event.type === 'tool_result' && typeof answered === 'string') entry(answered).result = event.id
  }
  return links
}
