// Integrity findings per conversation: what a chat app's bugs leave behind in its history.
import type Database from 'better-sqlite3'
import type { LintFinding } from '../../shared/api'
import { CREATED_AT_TO_UNIX, type SchemaState } from './schema'

const KNOWN_TYPES = new Set(['user_message', 'assistant_message', 'tool_result', 'system_update', 'meta'])
const utf8 = new TextDecoder('utf-8', { fatal: true })

interface LintRow {
  id: string
  conversation_id: string
  seq: number
  type: string
  time: number | null
  tool_calls: string | null
  extra: string | null
  raw: string | null
  content: Buffer | null
}

const parse = (text: string | null): { ok: boolean; value: unknown } => {
  if (!text) return { ok: true, value: null }
  try {
    return { ok: true, value: JSON.parse(text) }
  } catch {
    return { ok: false, value: null }
  }
}

/** Findings for one conversation, or every one; `problem`s make `chv lint` exit 1, `note`s do not. */
export function lintConversations(
  db: Database.Database,
  schema: SchemaState,
  conversationId: string | null,
): LintFinding[] {
  const time = schema.hasCreatedAtUnix ? 'created_at_unix' : CREATED_AT_TO_UNIX
  const rows = db
    .prepare<[string | null, string | null], LintRow>(
      `SELECT id, conversation_id, seq, type, ${time} AS time, tool_calls, extra, raw, CAST(content AS BLOB) AS content
       FROM chat_events WHERE (? IS NULL OR conversation_id = ?) ORDER BY conversation_id, seq`,
    )
    .iterate(conversationId, conversationId)
  const findings: LintFinding[] = []
  let current: ConversationState | undefined
  for (const row of rows) {
    if (current?.id !== row.conversation_id) {
      if (current) findings.push(...current.finish())
      current = new ConversationState(row.conversation_id)
    }
    findings.push(...current.add(row))
  }
  if (current) findings.push(...current.finish())
  return findings
}

class ConversationState {
  private lastSeq: number | null = null
  private lastTime: number | null = null
  private readonly calls = new Map<string, number>()
  private readonly results = new Map<string, number>()
  private readonly deltas = new Map<string, number>()
  private readonly replies = new Set<string>()
  private readonly requestIds = new Map<string, number>()

  constructor(readonly id: string) {}

  add(row: LintRow): LintFinding[] {
    const out: LintFinding[] = []
    const at = (kind: LintFinding['kind'], severity: LintFinding['severity'], message: string): void => {
      out.push({ conversation_id: this.id, seq: row.seq, event_id: row.id, kind, severity, message })
    }
    if (this.lastSeq !== null && row.seq === this.lastSeq)
      at('seq_duplicate', 'problem', `seq ${row.seq} is used twice`)
    else if (this.lastSeq !== null && row.seq !== this.lastSeq + 1)
      at('seq_gap', 'note', `seq jumps from ${this.lastSeq} to ${row.seq} (compaction leaves such gaps)`)
    if (this.lastTime !== null && row.time !== null && row.time < this.lastTime)
      at('time_order', 'problem', `created earlier than the event before it (seq ${this.lastSeq})`)
    this.lastSeq = row.seq
    if (row.time !== null) this.lastTime = row.time
    if (!KNOWN_TYPES.has(row.type)) at('unknown_type', 'problem', `unknown event type "${row.type}"`)
    if (row.content) {
      try {
        utf8.decode(row.content)
      } catch {
        at('invalid_utf8', 'problem', 'content is not valid UTF-8')
      }
    }
    const extra = parse(row.extra)
    const calls = parse(row.tool_calls)
    for (const [column, cell] of [
      ['extra', extra],
      ['tool_calls', calls],
      ['raw', parse(row.raw)],
    ] as const) {
      if (!cell.ok) at('invalid_json', 'problem', `${column} is not valid JSON`)
    }
    const e = (extra.value ?? {}) as Record<string, unknown>
    if (Array.isArray(calls.value)) {
      for (const call of calls.value as { id?: unknown }[])
        if (typeof call?.id === 'string') this.calls.set(call.id, row.seq)
    }
    if (row.type === 'tool_result' && typeof e.tool_call_id === 'string')
      this.results.set(e.tool_call_id, row.seq)
    if (row.type === 'meta' && e.kind === 'assistant_delta' && typeof e.user_request_id === 'string')
      this.deltas.set(e.user_request_id, row.seq)
    if (typeof e.request_id === 'string') {
      if (e.request_id.startsWith('assistant:')) this.replies.add(e.request_id.slice('assistant:'.length))
      const seen = this.requestIds.get(e.request_id)
      if (seen !== undefined)
        at('request_id_duplicate', 'problem', `request id "${e.request_id}" also at seq ${seen}`)
      this.requestIds.set(e.request_id, row.seq)
    }
    return out
  }

  finish(): LintFinding[] {
    const out: LintFinding[] = []
    const add = (seq: number, kind: LintFinding['kind'], message: string) =>
      out.push({ conversation_id: this.id, seq, event_id: null, kind, severity: 'problem', message })
    for (const [id, seq] of this.calls)
      if (!this.results.has(id)) add(seq, 'call_without_result', `tool call ${id} has no result`)
    for (const [id, seq] of this.results)
      if (!this.calls.has(id)) add(seq, 'result_without_call', `tool result for ${id} has no call`)
    for (const [id, seq] of this.deltas)
      if (!this.replies.has(id))
        add(seq, 'pending_deltas', `streamed chunks of ${id} have no compacted reply`)
    return out
  }
}
