// Integrity findings per conversation: what a chat app's bugs leave behind in its history.
import type Database from 'better-sqlite3'
import type { LintFinding } from '../../shared/api'
import { isToolCallList } from './event-row'
import { storedConversationId } from './conversation-list'
import { cellNumber, cellText, MAX_JSON_DEPTH, nestedDeeperThan, type Cell } from './json-cell'
import { CREATED_AT_TO_UNIX, type SchemaState } from './schema'
import { parseTimestamp } from './timestamps'

const KNOWN_TYPES = new Set(['user_message', 'assistant_message', 'tool_result', 'system_update', 'meta'])
const utf8 = new TextDecoder('utf-8', { fatal: true })

interface LintRow {
  id: Cell
  conversation_id: Cell
  seq: Cell
  type: Cell
  time: Cell
  created_at: Cell
  tool_calls: Cell
  extra: Cell
  raw: Cell
  content: Buffer | null
  /** SQLite's storage class of each column whose class the seed always writes the same way. */
  types: string
}

/** Columns and the storage class the seed writes in them (typeof() in SQL). */
const EXPECTED_TYPES = [
  ['id', 'text'],
  ['conversation_id', 'text'],
  ['seq', 'integer'],
  ['schema_version', 'integer'],
  ['type', 'text'],
  ['content', 'text null'],
  ['created_at', 'text'],
] as const

type Parsed = { ok: true; value: unknown } | { ok: false; why: string }

const parse = (cell: Cell): Parsed => {
  const text = cellText(cell)
  if (!text) return { ok: true, value: null }
  if (nestedDeeperThan(text)) return { ok: false, why: `is nested deeper than ${MAX_JSON_DEPTH} levels` }
  try {
    return { ok: true, value: JSON.parse(text) }
  } catch {
    return { ok: false, why: 'is not valid JSON' }
  }
}

const isObject = (v: unknown): boolean => typeof v === 'object' && v !== null && !Array.isArray(v)

/** Seconds a JavaScript Date can hold (±8.64e15 ms). */
const MAX_DATE_SECONDS = 8.64e12

/** A conversation id as a key: a BLOB or a number is a different conversation than its text. */
const idKey = (id: Cell): string => (typeof id === 'string' ? id : `\u0000${typeof id}:${cellText(id)}`)

/** Findings for one conversation, or every one; `problem`s make `chv lint` exit 1, `note`s do not. */
export function lintConversations(
  db: Database.Database,
  schema: SchemaState,
  conversationId: string | null,
): LintFinding[] {
  const time = schema.hasCreatedAtUnix ? 'created_at_unix' : CREATED_AT_TO_UNIX
  const key = conversationId === null ? null : storedConversationId((sql) => db.prepare(sql), conversationId)
  // One conversation is read through its index: `? IS NULL OR` made SQLite walk the whole index
  // (about 100 ms a conversation on 1M events, for the list's problem badges).
  const where = key === null ? '' : 'WHERE conversation_id = @key'
  const rows = db
    .prepare<[{ key: Cell }], LintRow>(
      `SELECT id, conversation_id, seq, type, ${time} AS time, created_at, tool_calls, extra, raw,
         CAST(content AS BLOB) AS content,
         ${EXPECTED_TYPES.map(([column]) => `typeof(${column})`).join(" || ' ' || ")} AS types
       FROM chat_events ${where} ORDER BY conversation_id, seq`,
    )
    .iterate({ key })
  const findings: LintFinding[] = []
  let current: ConversationState | undefined
  for (const row of rows) {
    if (current?.key !== idKey(row.conversation_id)) {
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

  readonly id: string
  readonly key: string

  constructor(id: Cell) {
    this.id = cellText(id) ?? ''
    this.key = idKey(id)
  }

  add(row: LintRow): LintFinding[] {
    const out: LintFinding[] = []
    const rowSeq = cellNumber(row.seq) ?? 0
    const at = (kind: LintFinding['kind'], severity: LintFinding['severity'], message: string): void => {
      out.push({ conversation_id: this.id, seq: rowSeq, event_id: cellText(row.id), kind, severity, message })
    }
    const seq = cellNumber(row.seq)
    const time = cellNumber(row.time)
    if (seq !== undefined) {
      if (this.lastSeq !== null && seq === this.lastSeq)
        at('seq_duplicate', 'problem', `seq ${seq} is used twice`)
      else if (this.lastSeq !== null && seq !== this.lastSeq + 1)
        at('seq_gap', 'note', `seq jumps from ${this.lastSeq} to ${seq} (compaction leaves such gaps)`)
      this.lastSeq = seq
    }
    if (this.lastTime !== null && time !== undefined && time < this.lastTime)
      at('time_order', 'problem', `created earlier than the event before it (seq ${this.lastSeq})`)
    if (time !== undefined) this.lastTime = time
    for (const message of oddValues(row)) at('odd_value', 'problem', message)
    const type = cellText(row.type) ?? ''
    if (!KNOWN_TYPES.has(type)) at('unknown_type', 'problem', `unknown event type "${type}"`)
    if (row.content) {
      try {
        utf8.decode(row.content)
      } catch {
        at('invalid_utf8', 'problem', 'content is not valid UTF-8')
      }
    }
    const extra = parse(row.extra)
    const calls = parse(row.tool_calls)
    const raw = parse(row.raw)
    for (const [column, cell] of [
      ['extra', extra],
      ['tool_calls', calls],
      ['raw', raw],
    ] as const) {
      if (!cell.ok) at('invalid_json', 'problem', `${column} ${cell.why}`)
    }
    if (extra.ok && extra.value !== null && !isObject(extra.value))
      at('invalid_json', 'problem', 'extra is JSON but not an object (read as {})')
    if (raw.ok && raw.value !== null && !isObject(raw.value))
      at('invalid_json', 'problem', 'raw is JSON but not an object (read as null)')
    if (calls.ok && calls.value !== null && !isToolCallList(calls.value as never))
      at('invalid_json', 'problem', "tool_calls is not a list of the seed's tool calls (shown as stored)")
    const e = (extra.ok && isObject(extra.value) ? extra.value : {}) as Record<string, unknown>
    if (calls.ok && Array.isArray(calls.value)) {
      for (const call of calls.value as ({ id?: unknown } | null)[])
        if (typeof call?.id === 'string') this.calls.set(call.id, rowSeq)
    }
    if (type === 'tool_result' && typeof e.tool_call_id === 'string') this.results.set(e.tool_call_id, rowSeq)
    if (type === 'meta' && e.kind === 'assistant_delta' && typeof e.user_request_id === 'string')
      this.deltas.set(e.user_request_id, rowSeq)
    if (typeof e.request_id === 'string') {
      if (e.request_id.startsWith('assistant:')) this.replies.add(e.request_id.slice('assistant:'.length))
      const seen = this.requestIds.get(e.request_id)
      if (seen !== undefined)
        at('request_id_duplicate', 'problem', `request id "${e.request_id}" also at seq ${seen}`)
      this.requestIds.set(e.request_id, rowSeq)
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

/** Values of a kind the seed never writes: each one is named, so the odd row can be found and fixed. */
function oddValues(row: LintRow): string[] {
  const out: string[] = []
  const types = row.types.split(' ')
  EXPECTED_TYPES.forEach(([column, expected], i) => {
    const found = types[i]!
    if (!expected.split(' ').includes(found))
      out.push(`${column} is stored as ${found}, not ${expected.split(' ')[0]}`)
  })
  const seq = cellNumber(row.seq)
  if (seq !== undefined && Number.isInteger(seq) && !Number.isSafeInteger(seq))
    out.push(`seq ${seq} is not a whole number JavaScript can hold exactly`)
  if (typeof row.created_at === 'string' && !parseTimestamp(row.created_at))
    out.push(`created_at "${row.created_at.slice(0, 40)}" is not an ISO 8601 timestamp`)
  const time = cellNumber(row.time)
  if (row.time !== null && time === undefined) out.push('created_at_unix is not a number')
  else if (time !== undefined && Math.abs(time) > MAX_DATE_SECONDS)
    out.push(`created_at_unix ${time} is no date (beyond the year 275,000)`)
  return out
}
