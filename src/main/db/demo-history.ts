// A realistic sample history, written through the repository's own write API.
import type { NewChatEvent } from '../../shared/chat-event'
import type { ChatRepository } from './repository'

const MINUTE = 60_000
const HOUR = 60 * MINUTE

/** Writes the demo conversations into `repo`; times are spread over the last days before `now`. */
export function writeDemoHistory(repo: ChatRepository, now: Date = new Date()): void {
  const at = (msAgo: number): Date => new Date(now.getTime() - msAgo)
  const user = (
    conversation_id: string,
    content: NewChatEvent['content'],
    requestId: string,
    time: Date,
  ) => ({
    conversation_id,
    type: 'user_message',
    role: 'user',
    content,
    created_at: time,
    extra: { request_id: requestId },
  })
  const deltas = (
    conversation_id: string,
    requestId: string,
    chunks: string[],
    start: Date,
  ): NewChatEvent[] =>
    chunks.map((chunk, i) => ({
      conversation_id,
      type: 'meta',
      role: 'assistant',
      content: chunk,
      provider: 'openai',
      model: 'gpt-4o-mini',
      created_at: new Date(start.getTime() + i * 150),
      extra: { kind: 'assistant_delta', user_request_id: requestId, index: i },
    }))

  // Tool calls with their results.
  const weather = 'demo-weather-paris'
  repo.addEvents([
    user(
      weather,
      'What is the weather in Paris right now, and should I take an umbrella?',
      'req-w1',
      at(3 * 24 * HOUR),
    ),
    {
      conversation_id: weather,
      type: 'assistant_message',
      role: 'assistant',
      content: '',
      provider: 'openai',
      model: 'gpt-4o',
      stop_reason: 'tool_calls',
      created_at: at(3 * 24 * HOUR - 2000),
      tool_calls: [
        {
          id: 'call_wx_1',
          type: 'function',
          function: { name: 'get_weather', arguments: '{"city": "Paris", "units": "metric"}' },
        },
        {
          id: 'call_fc_1',
          type: 'function',
          function: { name: 'get_forecast', arguments: '{"city": "Paris", "hours": 6}' },
        },
      ],
      extra: { user_request_id: 'req-w1' },
      raw: { id: 'chatcmpl-demo-1', usage: { prompt_tokens: 112, completion_tokens: 38 } },
    },
    {
      conversation_id: weather,
      type: 'tool_result',
      role: 'tool',
      content: '{"city": "Paris", "temp_c": 14.5, "condition": "light rain", "humidity": 0.82}',
      created_at: at(3 * 24 * HOUR - 3000),
      extra: { tool_call_id: 'call_wx_1', tool_name: 'get_weather' },
    },
    {
      conversation_id: weather,
      type: 'tool_result',
      role: 'tool',
      content: '{"hours": [{"h": 1, "rain_mm": 0.4}, {"h": 2, "rain_mm": 1.1}, {"h": 3, "rain_mm": 0.0}]}',
      created_at: at(3 * 24 * HOUR - 3500),
      extra: { tool_call_id: 'call_fc_1', tool_name: 'get_forecast' },
    },
    {
      conversation_id: weather,
      type: 'assistant_message',
      role: 'assistant',
      content:
        "It's **14.5 °C with light rain** in Paris.\n\nRain continues for the next two hours, so yes: take an umbrella ☂️.",
      provider: 'openai',
      model: 'gpt-4o',
      stop_reason: 'stop',
      created_at: at(3 * 24 * HOUR - 6000),
      extra: { user_request_id: 'req-w1' },
    },
  ])

  // System updates, visible and hidden, and non-Latin text.
  const unicode = 'demo-unicode-system'
  repo.addEvents([
    {
      conversation_id: unicode,
      type: 'system_update',
      role: 'system',
      content: 'The user prefers answers in Japanese with English in parentheses.',
      created_at: at(2 * 24 * HOUR),
      extra: { visible_to_model: true, source: 'preferences' },
    },
    {
      conversation_id: unicode,
      type: 'system_update',
      role: 'system',
      content: 'Context trimmed: 3 old messages dropped to fit the window.',
      created_at: at(2 * 24 * HOUR - MINUTE),
      extra: { visible_to_model: false, source: 'context-manager' },
    },
    user(
      unicode,
      'こんにちは 👋 Café, naïve, Ελληνικά, עברית: how do I say "thank you"?',
      'req-u1',
      at(2 * 24 * HOUR - 2 * MINUTE),
    ),
    {
      conversation_id: unicode,
      type: 'assistant_message',
      role: 'assistant',
      content: 'ありがとう (thank you) 🙏 — or more politely, ありがとうございます (thank you very much).',
      provider: 'anthropic',
      model: 'claude-sonnet-4',
      stop_reason: 'end_turn',
      created_at: at(2 * 24 * HOUR - 3 * MINUTE),
      extra: { user_request_id: 'req-u1' },
    },
  ])

  // Multimodal list content.
  const image = 'demo-multimodal'
  repo.addEvents([
    user(
      image,
      [
        { type: 'text', text: 'What breed is this cat?' },
        { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg', detail: 'low' } },
      ],
      'req-m1',
      at(26 * HOUR),
    ),
    {
      conversation_id: image,
      type: 'assistant_message',
      role: 'assistant',
      content: 'It looks like a **Maine Coon**: the ear tufts and the bushy tail give it away.',
      provider: 'openai',
      model: 'gpt-4o',
      stop_reason: 'stop',
      created_at: at(26 * HOUR - 4000),
      extra: { user_request_id: 'req-m1' },
    },
  ])

  // A longer conversation with code.
  const code = 'demo-sql-help'
  const topics = ['an index', 'a covering index', 'WAL mode', 'a busy timeout', 'VACUUM', 'keyset paging']
  repo.addEvents(
    topics.flatMap((topic, i) => [
      user(
        code,
        `Explain ${topic} in SQLite in two sentences.`,
        `req-c${i}`,
        at(20 * HOUR - i * 10 * MINUTE),
      ),
      {
        conversation_id: code,
        type: 'assistant_message',
        role: 'assistant',
        content: `Here is ${topic}:\n\n\`\`\`sql\nSELECT * FROM chat_events WHERE conversation_id = ? ORDER BY seq LIMIT 50;\n\`\`\`\n\nIt keeps reads short and predictable.`,
        provider: 'openai',
        model: i % 2 ? 'gpt-4o' : 'gpt-4o-mini',
        stop_reason: 'stop',
        created_at: at(20 * HOUR - i * 10 * MINUTE - 5000),
        extra: { user_request_id: `req-c${i}` },
      },
    ]),
  )

  // A streamed reply, compacted the way the chat app does it.
  const compacted = 'demo-stream-compacted'
  const chunks = ['Stream', 'ing ', 'keeps ', 'the ', 'user ', 'waiting ', 'less.']
  repo.addEvents([
    user(compacted, 'Why do chat apps stream their replies?', 'req-s1', at(5 * HOUR)),
    ...deltas(compacted, 'req-s1', chunks, at(5 * HOUR - 1000)),
  ])
  repo.compactDeltas(compacted, 'req-s1', chunks.join(''), 'gpt-4o-mini')

  // A streamed reply still pending: deltas and no final message (the app crashed mid-stream).
  const pending = 'demo-stream-pending'
  repo.addEvents([
    user(pending, 'Summarise the plot of Hamlet in one line.', 'req-p1', at(40 * MINUTE)),
    ...deltas(
      pending,
      'req-p1',
      ['A prince ', 'avenges ', 'his father ', 'and ', 'everyone '],
      at(40 * MINUTE - 800),
    ),
  ])

  // The chat app's own entry points: idempotent user message, doubled reply collapsed (XX → X).
  const app = 'demo-app-flow'
  repo.handleUserMessagePersistence(app, 'Ping?', 'req-a1')
  repo.persistAssistantMessage(app, 'req-a1', 'Pong!Pong!', 'gpt-4o-mini', 'openai')
}
