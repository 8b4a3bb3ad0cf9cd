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
import { cellNumber, cellText, parseJsonCell, type Cell } from './json-cell'
import { pyJsonDumps } from './py-json'
import { parseTimestamp, toPythonIso, toUnixSeconds } from './timestamps'

/**
 * The stored columns we read. Never `SELECT *`: that computes the virtual `request_id`, and
 * `json_extract` on one malformed `extra` would abort the whole query.
 */
export const EVENT_COLUMNS =
  'id, conversation_id, seq, schema_version, type, role, content, tool_calls, provider, model, stop_reason, created_at, extra, raw'

export interface EventRow {
  id: Cell
  conversation_id: Cell
  seq: Cell
  schema_version: Cell
  type: Cell
  role: Cell
  content: Cell
  tool_calls: Cell
  provider: Cell
  model: Cell
  stop_reason: Cell
  created_at: Cell
  extra: Cell
  raw: Cell
}

/** The row the seed inserts, in its column order (`created_at_unix` included). */
export interface InsertRow {
  id: string
  conversation_id: string
  seq: number
  schema_version: number
  type: string
  role: string | null
  content: string | null
  tool_calls: string | null
  provider: string | null
  model: string | null
  stop_reason: string | null
  created_at: string
  created_at_unix: number
  extra: string | null
  raw: string | null
}

const isObject = (v: JsonValue): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v)

/** What the seed's `ToolCall(**item)` accepts; anything else would raise there, and break code here. */
const isToolCall = (v: JsonValue): boolean =>
  isObject(v) &&
  typeof v.id === 'string' &&
  typeof v.type === 'string' &&
  isObject(v.function ?? null) &&
  typeof (v.function as JsonObject).name === 'string' &&
  typeof (v.function as JsonObject).arguments === 'string'

export const isToolCallList = (v: JsonValue): boolean => Array.isArray(v) && v.every(isToolCall)

/**
 * The seed's `_deserialize_event`, total over whatever a file holds: a cell of an unexpected type is
 * read as text (BLOBs as UTF-8), JSON that does not parse, has the wrong shape or is nested too deep is
 * kept verbatim in `invalid_json`, and a number that is not one is kept in `odd_cells`.
 */
export function toEvent(row: EventRow): ChatEvent {
  const invalid: Partial<Record<JsonColumn, string>> = {}
  const odd: NonNullable<ChatEvent['odd_cells']> = {}
  // Like the seed: text starting with "[" that parses is multimodal parts; anything else stays text.
  let content: ChatEvent['content'] = cellText(row.content)
  if (content?.startsWith('[')) {
    const parsed = parseJsonCell(content)
    if (parsed && Array.isArray(parsed.value)) content = parsed.value
  }
  const jsonCell = <T>(column: JsonColumn, accept: (v: JsonValue) => boolean, empty: T): T => {
    const text = cellText(row[column])
    if (!text) return empty
    const parsed = parseJsonCell(text)
    if (parsed && accept(parsed.value)) return parsed.value as T
    invalid[column] = text
    return empty
  }
  const numberCell = (column: 'seq' | 'schema_version'): number => {
    const n = cellNumber(row[column])
    if (n !== undefined) return n
    odd[column] = cellText(row[column]) ?? 'NULL'
    return 0
  }
  const event: ChatEvent = {
    id: cellText(row.id) ?? '',
    conversation_id: cellText(row.conversation_id) ?? '',
    seq: numberCell('seq'),
    schema_version: numberCell('schema_version'),
    type: cellText(row.type) ?? '',
    role: cellText(row.role),
    content,
    tool_calls: jsonCell<ToolCall[]>('tool_calls', isToolCallList, []),
    provider: cellText(row.provider),
    model: cellText(row.model),
    stop_reason: cellText(row.stop_reason),
    created_at: cellText(row.created_at) ?? '',
    extra: jsonCell<JsonObject>('extra', isObject, {}),
    raw: jsonCell<JsonObject | null>('raw', isObject, null),
  }
  if (Object.keys(invalid).length > 0) event.invalid_json = invalid
  if (Object.keys(odd).length > 0) event.odd_cells = odd
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
/** Every stored column of a row, in the seed's order (its virtual request_id is computed, not stored). */
export const STORED_COLUMNS =
  'id, conversation_id, seq, schema_version, type, role, content, tool_calls, provider, model, stop_reason, created_at, created_at_unix, extra, raw'

export const INSERT_EVENT_INTO = `INSERT INTO chat_events (${STORED_COLUMNS})`

export const INSERT_EVENT_SQL = `${INSERT_EVENT_INTO}
  VALUES (@id, @conversation_id, @seq, @schema_version, @type, @role, @content, @tool_calls, @provider, @model,
   @stop_reason, @created_at, @created_at_unix, @extra, @raw)`
