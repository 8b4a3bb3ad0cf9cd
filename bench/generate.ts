// A large chat history in the seed's schema, written with bare inserts (the fastest way to make one).
import { randomUUID } from 'node:crypto'
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs'
import { dirname } from 'node:path'
import { INSERT_EVENT_SQL, type InsertRow } from '../src/main/db/event-row'
import { ChatRepository } from '../src/main/db/repository'
import { toPythonIso } from '../src/main/db/timestamps'

export interface GenerateOptions {
  events: number
  conversations: number
  /** Events of the one long conversation (the rest share what is left evenly). */
  bigConversationEvents: number
}

export const BIG_CONVERSATION_ID = 'conv-big'

/** Small deterministic PRNG (mulberry32), so every run builds the same file. */
function prng(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const WORDS =
  'the model tool call result stream delta user assistant reply token json sqlite index page query cache file error retry latency prompt system context window history'.split(
    ' ',
  )

const YEAR_START = Date.UTC(2025, 0, 1)
const YEAR_MS = 365 * 24 * 3600 * 1000

export function generateHistory(path: string, options: GenerateOptions): void {
  const random = prng(42)
  const text = (min: number, max: number): string => {
    const length = min + Math.floor(random() * (max - min))
    let out = ''
    while (out.length < length) out += WORDS[Math.floor(random() * WORDS.length)] + ' '
    return out.slice(0, length)
  }

  // Each conversation is a burst of events ~30 s apart starting at a random time of the year; the big
  // one spreads over the whole year. Rows go in in time order, as a chat app writes them.
  const times: { conv: number; time: number }[] = []
  const rest = options.events - options.bigConversationEvents
  for (let i = 0; i < options.bigConversationEvents; i++) {
    times.push({ conv: 0, time: YEAR_START + (i / options.bigConversationEvents) * YEAR_MS })
  }
  for (let c = 1; c < options.conversations; c++) {
    const count =
      Math.floor(rest / (options.conversations - 1)) + (c <= rest % (options.conversations - 1) ? 1 : 0)
    const start = YEAR_START + random() * YEAR_MS * 0.98
    for (let i = 0; i < count; i++) times.push({ conv: c, time: start + i * 30_000 + random() * 10_000 })
  }
  times.sort((a, b) => a.time - b.time)

  const tmp = `${path}.tmp`
  mkdirSync(dirname(path), { recursive: true })
  rmSync(tmp, { force: true })
  const repo = ChatRepository.open(tmp, { mode: 'create' })
  const insert = repo.db.prepare(INSERT_EVENT_SQL)
  const seqs = new Int32Array(options.conversations)
  const insertChunk = repo.db.transaction((chunk: typeof times) => {
    for (const { conv, time } of chunk) insert.run(row(conv, ++seqs[conv]!, time))
  })
  const row = (conv: number, seq: number, time: number): InsertRow => {
    const conversationId = conv === 0 ? BIG_CONVERSATION_ID : `conv-${String(conv).padStart(5, '0')}`
    const date = new Date(time)
    const kind = seq % 4
    const base = {
      id: randomUUID(),
      conversation_id: conversationId,
      seq,
      schema_version: 1,
      provider: null,
      model: null,
      stop_reason: null,
      tool_calls: null,
      raw: null,
      created_at: toPythonIso(date),
      created_at_unix: Math.floor(time / 1000),
    }
    if (kind === 1) {
      return {
        ...base,
        type: 'user_message',
        role: 'user',
        content: text(40, 300),
        extra: JSON.stringify({ request_id: `req-${conv}-${seq}` }),
      }
    }
    if (kind === 2) {
      return {
        ...base,
        type: 'assistant_message',
        role: 'assistant',
        content: text(200, 1500),
        provider: 'openai',
        model: random() < 0.5 ? 'gpt-4o' : 'gpt-4o-mini',
        stop_reason: 'tool_calls',
        tool_calls: JSON.stringify([
          { id: `call-${seq}`, type: 'function', function: { name: 'search', arguments: '{"q": "sqlite"}' } },
        ]),
        extra: JSON.stringify({ user_request_id: `req-${conv}-${seq - 1}` }),
      }
    }
    if (kind === 3) {
      return {
        ...base,
        type: 'tool_result',
        role: 'tool',
        content: text(100, 600),
        extra: JSON.stringify({ tool_call_id: `call-${seq - 1}` }),
      }
    }
    return {
      ...base,
      type: 'assistant_message',
      role: 'assistant',
      content: text(200, 1500),
      provider: 'openai',
      model: 'gpt-4o',
      stop_reason: 'stop',
      extra: JSON.stringify({ user_request_id: `req-${conv}-${seq - 3}` }),
    }
  }
  for (let i = 0; i < times.length; i += 50_000) insertChunk(times.slice(i, i + 50_000))
  repo.db.pragma('wal_checkpoint(TRUNCATE)')
  repo.close()
  renameSync(tmp, path)
  rmSync(`${tmp}-wal`, { force: true })
  rmSync(`${tmp}-shm`, { force: true })
}

/** Builds the file once per generator version; later runs reuse it. */
export function cachedHistory(dir: string, options: GenerateOptions): string {
  const path = `${dir}/history-v1-${options.events}-${options.conversations}-${options.bigConversationEvents}.db`
  if (!existsSync(path)) generateHistory(path, options)
  return path
}
