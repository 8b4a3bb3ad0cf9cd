// Histories for the list's filters: models, tools, unanswered calls, pending replies, months of dates.
import { join } from 'node:path'
import type { NewChatEvent } from '../../src/shared/chat-event'
import { ChatRepository } from '../../src/main/db/repository'
import { tempDir } from './files'

const DAY = 24 * 3600 * 1000
export const MODELS = ['gpt-4o', 'gpt-4o-mini', 'claude-sonnet-4'] as const
/** The first conversation begins here; conversation `i` begins `i` × 5 days later. */
export const VARIED_START = Date.UTC(2025, 0, 1, 12)
export const VARIED_COUNT = 60

/**
 * What conversation `i` of the varied history holds, to state expectations without repeating rules:
 * model `MODELS[i % 3]`; tool calls when i % 4 = 0 (get_weather when i % 8 = 0, else search_web), one
 * of them unanswered when i % 12 = 0; a pending streamed reply of 3 chunks when i % 5 = 0; a message
 * 200 days later when i % 7 = 0 (its last activity is then far from its first).
 */
export function variedTraits(i: number) {
  return {
    id: `topic-${String(i).padStart(3, '0')}`,
    model: MODELS[i % 3]!,
    tool: i % 4 === 0 ? (i % 8 === 0 ? 'get_weather' : 'search_web') : null,
    unanswered: i % 12 === 0,
    pending: i % 5 === 0,
    revisited: i % 7 === 0,
    firstUnix: Math.floor((VARIED_START + i * 5 * DAY) / 1000),
  }
}

function conversationEvents(i: number): NewChatEvent[] {
  const t = variedTraits(i)
  const at = (ms: number) => new Date(VARIED_START + i * 5 * DAY + ms)
  const events: NewChatEvent[] = [
    {
      conversation_id: t.id,
      type: 'user_message',
      role: 'user',
      content: `Question ${i} about ${i % 2 ? 'gardens' : 'rivers'}`,
      created_at: at(0),
      extra: { request_id: `req-${i}` },
    },
  ]
  if (t.tool) {
    events.push({
      conversation_id: t.id,
      type: 'assistant_message',
      role: 'assistant',
      content: '',
      model: t.model,
      created_at: at(1000),
      tool_calls: [{ id: `call-${i}`, type: 'function', function: { name: t.tool, arguments: '{}' } }],
      extra: { user_request_id: `req-${i}` },
    })
    if (!t.unanswered)
      events.push({
        conversation_id: t.id,
        type: 'tool_result',
        role: 'tool',
        content: '{"ok": true}',
        created_at: at(2000),
        extra: { tool_call_id: `call-${i}`, tool_name: t.tool },
      })
  }
  events.push({
    conversation_id: t.id,
    type: 'assistant_message',
    role: 'assistant',
    content: `Answer ${i}`,
    model: t.model,
    created_at: at(3000),
    extra: { user_request_id: `req-${i}` },
  })
  if (t.pending)
    for (let k = 0; k < 3; k++)
      events.push({
        conversation_id: t.id,
        type: 'meta',
        role: 'assistant',
        content: `chunk ${k} `,
        model: t.model,
        created_at: at(4000 + k),
        extra: { kind: 'assistant_delta', user_request_id: `req-${i}-late`, index: k },
      })
  if (t.revisited)
    events.push({
      conversation_id: t.id,
      type: 'user_message',
      role: 'user',
      content: `Back to question ${i}`,
      created_at: at(200 * DAY),
    })
  return events
}

/** `VARIED_COUNT` conversations, one begun every 5 days from 2025-01-01 (see `variedTraits`). */
export function variedFile(): string {
  const repo = ChatRepository.open(join(tempDir(), 'varied.db'), { mode: 'create' })
  repo.addEvents(Array.from({ length: VARIED_COUNT }, (_, i) => conversationEvents(i)).flat())
  repo.close()
  return repo.path
}

/** `count` conversations of a question and its answer, one an hour back from 2026-01-01 (`many-000000` newest), models alternating. */
export function manyConversationsFile(count: number): string {
  const repo = ChatRepository.open(join(tempDir(), 'many.db'), { mode: 'create' })
  const end = Date.UTC(2026, 0, 1)
  repo.addEvents(
    Array.from({ length: count }, (_, i): NewChatEvent[] => {
      const conversation_id = `many-${String(i).padStart(6, '0')}`
      const created_at = new Date(end - i * 3600 * 1000)
      return [
        { conversation_id, type: 'user_message', role: 'user', content: `Question number ${i}`, created_at },
        {
          conversation_id,
          type: 'assistant_message',
          role: 'assistant',
          content: `Answer number ${i}`,
          model: MODELS[i % 2]!,
          created_at,
        },
      ]
    }).flat(),
  )
  repo.close()
  return repo.path
}

/** Conversation `i` of `manyConversationsFile`'s first (and last) activity. */
export const manyUnix = (i: number) => Math.floor((Date.UTC(2026, 0, 1) - i * 3600 * 1000) / 1000)
