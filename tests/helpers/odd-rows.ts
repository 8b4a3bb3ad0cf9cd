// Hand-made hostile rows the seed's schema (or a table without column types) lets a file hold: each
// kind is one file with a plain conversation and a conversation "odd" holding one odd row.
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { tempDir } from './files'
import { seedTableSql } from './seed-table'

type Value = string | number | bigint | Buffer | null

export interface OddRow {
  kind: string
  /** Column values that replace a plain user message's. */
  row: Record<string, Value>
  /** Columns without declared types, so SQLite keeps integers in `type` or `id` as integers. */
  untyped?: boolean
  /** What `chv lint` says about the row (none: the row is odd only for terminals). */
  lint?: RegExp
}

const deepArray = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`
const deepObject = (n: number) => `${'{"a": '.repeat(n)}1${'}'.repeat(n)}`
/** OSC 52 (writes the clipboard), a window title, a screen clear, and C1 CSI. */
export const TERMINAL_ATTACK = '\u001b]52;c;cHduZWQ=\u0007\u001b]0;pwned\u0007\u001b[2J\u001b[H\u009b2J'

export const ODD_ROWS: OddRow[] = [
  {
    kind: 'created_at_unix as text',
    row: { created_at_unix: 'yesterday' },
    lint: /created_at_unix is not a number/,
  },
  {
    kind: 'created_at_unix far in the future',
    row: { created_at_unix: 10n ** 18n },
    lint: /created_at_unix 1000000000000000000 is no date/,
  },
  { kind: 'created_at_unix far in the past', row: { created_at_unix: -(10n ** 17n) }, lint: /is no date/ },
  { kind: 'created_at_unix as REAL', row: { created_at_unix: 1767225600.5 }, lint: /time_order/ },
  {
    kind: 'content as BLOB',
    row: { content: Buffer.from('hello from a blob') },
    lint: /content is stored as blob/,
  },
  {
    kind: 'content as BLOB, not UTF-8',
    row: { content: Buffer.from([0xff, 0xfe, 0x00, 0x41]) },
    lint: /content is not valid UTF-8/,
  },
  {
    kind: 'conversation_id as BLOB',
    row: { conversation_id: Buffer.from('odd') },
    lint: /conversation_id is stored as blob/,
  },
  {
    kind: 'tool_calls items not objects',
    row: { tool_calls: '[1, "x", null, {"id": 5}]' },
    lint: /tool_calls is not a list of the seed's tool calls/,
  },
  { kind: 'tool_calls an object', row: { tool_calls: '{"id": "call_1"}' }, lint: /tool_calls is not a list/ },
  {
    kind: 'tool_calls with odd functions',
    row: {
      tool_calls: '[{"id": "c1", "function": "f"}, {"id": "c2", "function": {"name": 7, "arguments": {}}}]',
    },
    lint: /tool_calls is not a list/,
  },
  { kind: 'content nested 5,000 deep', row: { content: deepArray(5000) } },
  {
    kind: 'tool_calls nested 5,000 deep',
    row: { tool_calls: `[${deepObject(5000)}]` },
    lint: /tool_calls is nested deeper than 100 levels/,
  },
  { kind: 'raw nested 5,000 deep', row: { raw: deepObject(5000) }, lint: /raw is nested deeper/ },
  { kind: 'seq as REAL', row: { seq: 2.5 }, lint: /seq is stored as real/ },
  {
    kind: 'seq 2^63-1',
    row: { seq: 2n ** 63n - 1n },
    lint: /not a whole number JavaScript can hold exactly/,
  },
  { kind: 'seq as text', row: { seq: 'two' }, lint: /seq is stored as text/ },
  {
    kind: 'created_at as an integer',
    row: { created_at: 1767225600 },
    lint: /created_at is stored as integer/,
  },
  { kind: 'created_at NULL', row: { created_at: null }, lint: /created_at is stored as null/ },
  {
    kind: 'created_at not a date',
    row: { created_at: 'soon' },
    lint: /created_at "soon" is not an ISO 8601 timestamp/,
  },
  { kind: 'extra a JSON array', row: { extra: '[1, 2]' }, lint: /extra is JSON but not an object/ },
  { kind: 'schema_version as text', row: { schema_version: 'v1' }, lint: /schema_version is stored as text/ },
  { kind: 'model as BLOB, role a number', row: { model: Buffer.from('gpt'), role: 5 } },
  { kind: 'terminal escapes in content', row: { content: `look ${TERMINAL_ATTACK} here` } },
  { kind: 'terminal escapes in ids', row: { id: `e${TERMINAL_ATTACK}`, model: TERMINAL_ATTACK } },
  { kind: 'terminal escapes in conversation_id', row: { conversation_id: `odd${TERMINAL_ATTACK}` } },
  { kind: 'NUL in content', row: { content: 'a\u0000b' } },
  { kind: 'type as an integer', row: { type: 7 }, untyped: true, lint: /type is stored as integer/ },
  { kind: 'id as an integer', row: { id: 42 }, untyped: true, lint: /id is stored as integer/ },
  {
    kind: 'conversation_id as an integer',
    row: { conversation_id: 12 },
    untyped: true,
    lint: /conversation_id is stored as integer/,
  },
]

const UNTYPED_TABLE = `CREATE TABLE chat_events (id PRIMARY KEY, conversation_id NOT NULL, seq NOT NULL,
 schema_version NOT NULL, type NOT NULL, role, content, tool_calls, provider, model, stop_reason, created_at,
 created_at_unix, extra, raw, request_id GENERATED ALWAYS AS (json_extract(extra, '$.request_id')) VIRTUAL)`

const COLUMNS = [
  'id',
  'conversation_id',
  'seq',
  'schema_version',
  'type',
  'role',
  'content',
  'tool_calls',
  'provider',
  'model',
  'stop_reason',
  'created_at',
  'created_at_unix',
  'extra',
  'raw',
] as const

function plain(id: string, conversation: string, seq: number, content: string): Record<string, Value> {
  return {
    id,
    conversation_id: conversation,
    seq,
    schema_version: 1,
    type: 'user_message',
    role: 'user',
    content,
    tool_calls: null,
    provider: null,
    model: null,
    stop_reason: null,
    created_at: '2026-01-01T00:00:00+00:00',
    created_at_unix: 1767225600 + seq,
    extra: null,
    raw: null,
  }
}

/** better-sqlite3 binds every JS number as REAL; whole numbers go in as INTEGER, as the seed's do. */
const asStored = (row: Record<string, Value>): Record<string, Value> =>
  Object.fromEntries(
    Object.entries(row).map(([k, v]) => [k, typeof v === 'number' && Number.isInteger(v) ? BigInt(v) : v]),
  )

/** A file (in a fresh temp folder) with the seed's indexes, a plain conversation and the odd row. */
export function oddRowFile(odd: OddRow): string {
  const path = join(tempDir(), 'odd.db')
  const db = new Database(path)
  try {
    db.exec(odd.untyped ? UNTYPED_TABLE : seedTableSql())
    db.exec(`CREATE INDEX idx_conversation ON chat_events(conversation_id);
      CREATE INDEX idx_conversation_seq ON chat_events(conversation_id, seq);
      CREATE INDEX idx_created_unix ON chat_events(created_at_unix);
      CREATE UNIQUE INDEX idx_request_id ON chat_events(conversation_id, request_id) WHERE request_id IS NOT NULL`)
    const insert = db.prepare(
      `INSERT INTO chat_events (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((c) => `@${c}`).join(', ')})`,
    )
    insert.run(asStored(plain('p1', 'plain', 1, 'Hello')))
    insert.run(
      asStored({ ...plain('p2', 'plain', 2, 'Hi there'), type: 'assistant_message', role: 'assistant' }),
    )
    insert.run(asStored(plain('o1', 'odd', 1, 'before the odd row')))
    insert.run(asStored({ ...plain('o2', 'odd', 2, 'the odd row'), ...odd.row }))
  } finally {
    db.close()
  }
  return path
}

/**
 * Every odd row of one table kind (typed as the seed's, or untyped) in one file, each in its own
 * conversation `odd-N` after a plain message "before odd row N": for tests that open each in a page.
 */
export function allOddRowsFile(untyped: boolean): string {
  const path = join(tempDir(), untyped ? 'odd-untyped.db' : 'odd-typed.db')
  const db = new Database(path)
  try {
    db.exec(untyped ? UNTYPED_TABLE : seedTableSql())
    db.exec('CREATE INDEX idx_created_unix ON chat_events(created_at_unix)')
    const insert = db.prepare(
      `INSERT INTO chat_events (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((c) => `@${c}`).join(', ')})`,
    )
    ODD_ROWS.filter((o) => Boolean(o.untyped) === untyped).forEach((odd, i) => {
      insert.run(asStored(plain(`o${i}a`, `odd-${i}`, 1, `before odd row ${i}`)))
      insert.run(asStored({ ...plain(`o${i}b`, `odd-${i}`, 2, 'the odd row'), ...odd.row }))
    })
  } finally {
    db.close()
  }
  return path
}
