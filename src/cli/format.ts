// Plain-text output of the chv commands (JSON output is the data itself).
import type { ChatEvent, LlmMessage } from '../shared/chat-event'
import type { ConversationSummary } from '../shared/api'

/** ISO 8601 for Unix seconds; a value no Date can hold (a file's 10^18) is printed as it is. */
export function isoFromUnix(unix: number | null): string {
  if (unix === null) return '-'
  const date = new Date(unix * 1000)
  return Number.isNaN(date.getTime()) ? String(unix) : date.toISOString().replace('.000Z', 'Z')
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((r) => r[col]!.length)))
  return rows
    .map((r) => r.map((cell, col) => (col === r.length - 1 ? cell : cell.padEnd(widths[col]!))).join('  '))
    .join('\n')
}

export function formatConversations(list: ConversationSummary[]): string {
  if (list.length === 0) return 'No conversations.'
  const rows = list.map((c) => [
    isoFromUnix(c.last_activity_unix),
    String(c.event_count),
    c.conversation_id,
    c.preview,
  ])
  return table([['LAST ACTIVITY', 'EVENTS', 'CONVERSATION', 'FIRST USER MESSAGE'], ...rows])
}

const indent = (text: string): string => text.replace(/^/gm, '    ')

function contentText(content: ChatEvent['content']): string {
  if (content === null) return '(no content)'
  return typeof content === 'string' ? content : JSON.stringify(content, null, 2)
}

/**
 * One block of text per event (printed with a blank line between them), so a conversation of 50,000
 * events, or one huge message, never has to be one string.
 */
export function formatEvents(events: ChatEvent[]): string[] {
  if (events.length === 0) return ['No events.']
  return events.map((e) => {
    const facts = [e.role, e.provider, e.model, e.stop_reason && `stop=${e.stop_reason}`].filter(Boolean)
    const seq = e.odd_cells?.seq === undefined ? `#${e.seq}` : `#? (seq is ${e.odd_cells.seq})`
    const lines = [
      `${seq}  ${e.created_at || '-'}  ${e.type}${facts.length ? `  (${facts.join(', ')})` : ''}`,
    ]
    lines.push(indent(contentText(e.content)))
    for (const call of e.tool_calls)
      lines.push(indent(`→ ${call.function.name}(${call.function.arguments}) [${call.id}]`))
    if (Object.keys(e.extra).length) lines.push(indent(`extra: ${JSON.stringify(e.extra)}`))
    for (const [column, text] of Object.entries(e.invalid_json ?? {}))
      lines.push(indent(`${column} is not the seed's JSON (kept as stored): ${text}`))
    return lines.join('\n')
  })
}

export function formatMessages(messages: LlmMessage[]): string {
  return messages
    .map((m) => `[${m.role}${m.tool_call_id ? ` ${m.tool_call_id}` : ''}]\n${indent(m.content)}`)
    .join('\n\n')
}
