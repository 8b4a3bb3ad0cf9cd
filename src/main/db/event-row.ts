// Row ⇄ event mapping, as the seed's `_serialize_event` / `_deserialize_event`.
import type {
  ChatEvent,
  JsonColumn,
  JsonObject,
  JsonValue,
  NewChatEvent,
  ToolCall,
} from '../../shared/chat-event'
import { newEventId } from './ids'
import { pyJsonDumps } from './py-json'
import { parseTimestamp, toPythonIso, toUnixSeconds } from './timestamps'

/**
 * The stored columns we read. Never `SELECT *`: that computes the virtual `request_id`, and
 * `json_extract` on one malformed `extra` would abort the whole query.
 */
export const EVENT_COLUMNS =
  'id, conversation_id, seq, schema_version, type, role, content, tool_calls, provider, model, stop_reason, created_at, extra, raw'

type Cell = string | number | bigint | Buffer | null

export interface EventRow {
  id: string
  conversation_id: string
  seq: number
  schema_version: number
  type: string
  role: string | null
  content: Cell
  tool_calls: Cell
  provider: string | null
  model: string | null
  stop_reason: string | null
  created_at: Cell
  extra: Cell
  raw: Cell
}

/** The row the seed inserts, in its column order (`created_at_unix` included). */
export interface InsertRow extends Omit<EventRow, 'content' | 'tool_calls' | 'extra' | 'raw' | 'created_at'> {
  content: string | null
  tool_calls: string | null
  created_at: string
  created_at_unix: number
  extra: string | null
  raw: string | null
}

const asText = (cell: Cell): string | null =>
  cell === null ? null : Buffer.isBuffer(cell) ? cell.toString('utf8') : String(cell)

function parseJsonCell(text: string): { value: JsonValue } | undefined {
  try {
    return { value: JSON.parse(text) as JsonValue }
  } catch {
    return undefined
  }
}

const isObject = (v: JsonValue): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v)

export function toEvent(row: EventRow): ChatEvent {
  const invalid: Partial<Record<JsonColumn, string>> = {}
  // Like the seed: text starting with "[" that parses is multimodal parts; anything else stays text.
  let content: ChatEvent['content'] = asText(row.content)
  if (content?.startsWith('[')) {
    const parsed = parseJsonCell(content)
    if (parsed && Array.isArray(parsed.value)) content = parsed.value
  }
  const jsonCell = <T>(column: JsonColumn, accept: (v: JsonValue) => boolean, empty: T): T => {
    const text = asText(row[column])
    if (!text) return empty
    const parsed = parseJsonCell(text)
    if (parsed && accept(parsed.value)) return parsed.value as T
    invalid[column] = text
    return empty
  }
  const event: ChatEvent = {
    id: String(row.id),
    conversation_id: String(row.conversation_id),
    seq: Number(row.seq),
    schema_version: Number(row.schema_version),
    type: String(row.type),
    role: row.role,
    content,
    tool_calls: jsonCell<ToolCall[]>('tool_calls', Array.isArray, []),
    provider: row.provider,
    model: row.model,
    stop_reason: row.stop_reason,
    created_at: asText(row.created_at) ?? '',
    extra: jsonCell<JsonObject>('extra', isObject, {}),
    raw: jsonCell<JsonObject | null>('raw', isObject, null),
  }
  if (Object.keys(invalid).length > 0) event.invalid_json = invalid
  return event
}

function createdAtOf(value: NewChatEvent['created_at']): { text: string; unix: number } {
  if (value === undefined || value instanceof Date) {
    const date = value ?? new Date()
    return { text: toPythonIso(date), unix: toUnixSeconds(date) }
  }
  const date = parseTimestamp(value)
  if (!date) throw new TypeError(`created_at is not an ISO 8601 timestamp: ${JSON.stringify(value)}`)
  return { text: value, unix: toUnixSeconds(date) }
}

const isEmptyObject = (o: JsonObject | null | undefined): boolean => !o || Object.keys(o).length === 0

/**
 * The seed's `_serialize_event`, with one deliberate difference: NULL content stays NULL (the seed
 * writes the text "null", which it then reads back as the string "null").
 */
export function toInsertRow(event: NewChatEvent, seq: number): InsertRow {
  const createdAt = createdAtOf(event.created_at)
  const content = event.content ?? null
  return {
    id: event.id ?? newEventId(),
    conversation_id: event.conversation_id,
    seq,
    schema_version: event.schema_version ?? 1,
    type: event.type,
    role: event.role ?? null,
    content: content === null || typeof content === 'string' ? content : pyJsonDumps(content),
    tool_calls: event.tool_calls?.length ? pyJsonDumps(event.tool_calls as unknown as JsonValue) : null,
    provider: event.provider ?? null,
    model: event.model ?? null,
    stop_reason: event.stop_reason ?? null,
    created_at: createdAt.text,
    created_at_unix: createdAt.unix,
    extra: isEmptyObject(event.extra) ? null : pyJsonDumps(event.extra!),
    raw: isEmptyObject(event.raw) ? null : pyJsonDumps(event.raw!),
  }
}

/** The seed's columns, in its order; followed by VALUES or a SELECT. */
export const INSERT_EVENT_INTO = `INSERT INTO chat_events
  (id, conversation_id, seq, schema_version, type, role, content, tool_calls, provider, model, stop_reason,
   created_at, created_at_unix, extra, raw)`

export const INSERT_EVENT_SQL = `${INSERT_EVENT_INTO}
  VALUES (@id, @conversation_id, @seq, @schema_version, @type, @role, @content, @tool_calls, @provider, @model,
   @stop_reason, @created_at, @created_at_unix, @extra, @raw)`
