// Exports of conversations, written piece by piece so a million events take constant memory.
import type { ChatEvent } from '../../shared/chat-event'
import { EVENT_COLUMNS, toEvent, type EventRow } from './event-row'
import type { Cell } from './json-cell'
import { buildLlmMessages, LLM_HISTORY_LIMIT } from './llm-conversation'
import type { ChatRepository } from './repository'

export type ExportFormat = 'md' | 'json' | 'jsonl'

export interface ExportOptions {
  format: ExportFormat
  /** For jsonl: the system prompt the messages start with. */
  systemPrompt?: string
  /** Called after each event, for a progress bar. */
  onEvent?: () => void
}

/** Each event of a conversation in seq order, one row in memory at a time. */
function* eventsOf(repo: ChatRepository, conversationId: string): Generator<ChatEvent> {
  const rows = repo.db
    .prepare<[Cell], EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM chat_events WHERE conversation_id = ? ORDER BY seq`,
    )
    .iterate(repo.storedConversationId(conversationId))
  for (const row of rows) yield toEvent(row)
}

const fence = (text: string, lang = '') => {
  const ticks = '`'.repeat(Math.max(3, ...Array.from(text.matchAll(/`+/g), (m) => m[0].length + 1)))
  return `${ticks}${lang}\n${text}\n${ticks}\n`
}

const pretty = (text: string): string | undefined => {
  try {
    return JSON.stringify(JSON.parse(text), null, 2)
  } catch {
    return undefined
  }
}

function markdownOf(event: ChatEvent): string {
  const facts = [
    event.role,
    event.model,
    event.provider,
    event.stop_reason && `stop: ${event.stop_reason}`,
  ].filter(Boolean)
  let out = `### #${event.seq} ${event.type}${facts.length ? ` (${facts.join(', ')})` : ''} — ${event.created_at}\n\n`
  const content = event.content
  if (typeof content === 'string' && content !== '') {
    const json = event.type === 'tool_result' ? pretty(content) : undefined
    out += json ? fence(json, 'json') : `${content}\n`
  } else if (Array.isArray(content)) {
    out += fence(JSON.stringify(content, null, 2), 'json')
  }
  for (const call of event.tool_calls) {
    out += `\nTool call \`${call.function?.name}\` (\`${call.id}\`):\n\n`
    out += fence(pretty(call.function?.arguments ?? '') ?? call.function?.arguments ?? '', 'json')
  }
  if (typeof event.extra.tool_call_id === 'string') out += `\n(result of \`${event.extra.tool_call_id}\`)\n`
  return `${out}\n`
}

/**
 * Writes the conversations in `format` through `write`: Markdown transcripts, a JSON array of the seed's
 * events, or one line per conversation of what build_llm_conversation sends (without a new user turn).
 */
export function exportConversations(
  repo: ChatRepository,
  conversationIds: readonly string[],
  options: ExportOptions,
  write: (chunk: string) => void,
): void {
  if (options.format === 'json') write('[')
  let first = true
  for (const id of conversationIds) {
    if (options.format === 'md') {
      write(`# Conversation ${id}\n\n`)
      for (const event of eventsOf(repo, id)) {
        write(markdownOf(event))
        options.onEvent?.()
      }
    } else if (options.format === 'json') {
      for (const event of eventsOf(repo, id)) {
        write(`${first ? '\n' : ',\n'}${JSON.stringify(event)}`)
        first = false
        options.onEvent?.()
      }
    } else {
      const history = repo.getConversationHistory(id, LLM_HISTORY_LIMIT)
      const messages = buildLlmMessages(history, '', options.systemPrompt ?? '').slice(0, -1)
      write(`${JSON.stringify({ conversation_id: id, messages })}\n`)
      history.forEach(() => options.onEvent?.())
    }
  }
  if (options.format === 'json') write(first ? ']\n' : '\n]\n')
}

/**
 * What one answer (IPC, HTTP) can carry: a JS string tops out near 512 M characters and the transport
 * copies it again (JSON, structured clone), so exports past 200 M characters are refused.
 */
export const MAX_EXPORT_CHARS = 200 * 1024 * 1024

/**
 * The export as one string, or, past `maxChars`, its size: the rest is formatted and counted, never
 * kept, so the caller can say how large it is (and point to `chv export -o`, which streams).
 */
export function exportText(
  repo: ChatRepository,
  conversationIds: readonly string[],
  options: ExportOptions,
  maxChars = MAX_EXPORT_CHARS,
): { text: string } | { tooLarge: number } {
  const parts: string[] = []
  let chars = 0
  exportConversations(repo, conversationIds, options, (chunk) => {
    chars += chunk.length
    if (chars <= maxChars) parts.push(chunk)
    else parts.length = 0
  })
  return chars <= maxChars ? { text: parts.join('') } : { tooLarge: chars }
}
