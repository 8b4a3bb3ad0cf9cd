// The seed's ChatEvent, with the seed's field names, so JSON we print compares with what Python returns.

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue }
export type JsonObject = { [key: string]: JsonValue }

/** An OpenAI-style tool call as the seed stores it (`ToolCall.model_dump()`). */
export interface ToolCall {
  id: string
  type: string
  function: { name: string; arguments: string }
}

/** A JSON column whose text does not parse: kept verbatim so nothing is hidden or lost. */
export type JsonColumn = 'tool_calls' | 'extra' | 'raw'

export interface ChatEvent {
  id: string
  conversation_id: string
  seq: number
  schema_version: number
  type: string
  role: string | null
  /** Text, or the decoded list of multimodal parts (stored text starting with `[` that parses). */
  content: string | JsonValue[] | null
  tool_calls: ToolCall[]
  provider: string | null
  model: string | null
  stop_reason: string | null
  /** The stored text, unchanged (the seed reads it with `datetime.fromisoformat`). */
  created_at: string
  extra: JsonObject
  raw: JsonObject | null
  /** Present only when a JSON column held text that is not valid JSON; the seed would raise on it. */
  invalid_json?: Partial<Record<JsonColumn, string>>
  /** Present only when `seq` or `schema_version` holds something other than a number (read as 0). */
  odd_cells?: Partial<Record<'seq' | 'schema_version', string>>
}

/** What a caller supplies to add an event; the repository fills in the rest as the seed's model does. */
export interface NewChatEvent {
  id?: string
  conversation_id: string
  schema_version?: number
  type: string
  role?: string | null
  content?: string | JsonValue[] | null
  tool_calls?: ToolCall[]
  provider?: string | null
  model?: string | null
  stop_reason?: string | null
  /** A Date, or ISO 8601 text; defaults to now. */
  created_at?: Date | string
  extra?: JsonObject
  raw?: JsonObject | null
}

/** One message of what `build_llm_conversation` sends to the model. */
export interface LlmMessage {
  role: 'system' | 'user' | 'assistant' | 'tool'
  content: string
  tool_call_id?: string
}
