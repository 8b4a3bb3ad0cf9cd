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

/** Where each tool call id is called and answered, to link the two both ways. */
export function toolCallLinks(
  events: readonly EventPreview[],
): Map<string, { call?: string; result?: string }> {
  const links = new Map<string, { call?: string; result?: string }>()
  const entry = (id: string) => links.get(id) ?? links.set(id, {}).get(id)!
  for (const event of events) {
    for (const call of event.tool_calls) entry(call.id).call = event.id
    const answered = event.extra.tool_call_id
    if (event.type === 'tool_result' && typeof answered === 'string') entry(answered).result = event.id
  }
  return links
}
