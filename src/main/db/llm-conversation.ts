// What the seed's `build_llm_conversation` sends to the model, as a pure function of the history.
import type { ChatEvent, LlmMessage } from '../../shared/chat-event'
import { pyStr } from './py-json'

/** The seed asks `get_conversation_history` for this many events: the *first* 50, by seq. */
export const LLM_HISTORY_LIMIT = 50

type Message = LlmMessage & { tool_calls?: unknown }

// Python's `str(event.content or "")`: empty or missing content is "", lists print as Python reprs.
const contentText = (event: ChatEvent): string =>
  event.content === null ||
  event.content === '' ||
  (Array.isArray(event.content) && event.content.length === 0)
    ? ''
    : pyStr(event.content)

export function buildLlmMessages(
  history: ChatEvent[],
  userMessage: string,
  systemPrompt: string,
): LlmMessage[] {
  const conv: Message[] = [{ role: 'system', content: systemPrompt }]
  for (const event of history) {
    if (event.type === 'user_message') conv.push({ role: 'user', content: contentText(event) })
    else if (event.type === 'assistant_message') conv.push({ role: 'assistant', content: contentText(event) })
    else if (event.type === 'tool_result' && 'tool_call_id' in event.extra) {
      // The seed's rule: a tool result only follows an assistant message carrying `tool_calls`. It never
      // puts `tool_calls` on the assistant messages it builds, so in practice no tool result is sent.
      const last = conv[conv.length - 1]
      if (last?.role === 'assistant' && 'tool_calls' in last) {
        conv.push({
          role: 'tool',
          tool_call_id: String(event.extra.tool_call_id),
          content: contentText(event),
        })
      }
    }
  }
  conv.push({ role: 'user', content: userMessage })
  return conv
}

/** The seed's defensive collapse of an exactly doubled reply (XX → X), by code points as in Python. */
export function collapseDouble(text: string): string {
  const chars = Array.from(text)
  if (chars.length === 0 || chars.length % 2 !== 0) return text
  const half = chars.length / 2
  const first = chars.slice(0, half).join('')
  return first === chars.slice(half).join('') ? first : text
}
