// Finding secrets anywhere in a history: message text and list content, tool-call arguments (JSON
// inside JSON), tool results, extra and raw at any depth, and the merged text of streamed chunks (a key
// split across several assistant_delta rows is one finding).
import type Database from 'better-sqlite3'
import { mask, RULES, entropy, storedForms, type SecretRule } from './rules'

export const COLUMNS = ['content', 'tool_calls', 'extra', 'raw'] as const
export type Column = (typeof COLUMNS)[number]

/** Where a piece of a secret sits in one streamed chunk, for a secret split across chunks. */
export interface ChunkSpan {
  rowid: number
  start: number
  end: number
}

export interface Finding {
  rule: string
  conversation_id: string
  event_id: string
  seq: number
  /** The column, or `chunks` for a secret split across streamed chunks. */
  column: Column | 'chunks'
  masked: string
  /** Internal: the secret itself. Never sent to a page or printed. */
  secret: string
  rowid: number
  spans?: ChunkSpan[]
}

export interface ScanOptions {
  conversations?: string[] | null
  pii?: boolean
  /** Secrets (exact values) the user said are fine. */
  allow?: string[]
  rules?: string[] | null
}

interface Hit {
  rule: string
  start: number
  end: number
  secret: string
}

/** Secrets in one piece of text; overlapping hits keep the rule listed first (the most specific). */
export function findSecrets(text: string, rules: SecretRule[], allow: ReadonlySet<string>): Hit[] {
  const lower = text.toLowerCase()
  const hits: Hit[] = []
  for (const rule of rules) {
    if (rule.keywords.length > 0 && !rule.keywords.some((k) => lower.includes(k))) continue
    for (const m of text.matchAll(rule.pattern)) {
      const group = rule.secretGroup ?? 0
      const secret = m[group]
      // Our own mark where a secret was (a URL's password after redaction) is not a secret.
      if (!secret || allow.has(secret) || secret.includes('[REDACTED:')) continue
      if (rule.minEntropy !== undefined && entropy(secret) < rule.minEntropy) continue
      const start = m.index + (group === 0 ? 0 : m[0].indexOf(secret))
      const end = start + secret.length
      if (hits.some((h) => h.start < end && start < h.end)) continue
      hits.push({ rule: rule.id, start, end, secret })
    }
  }
  return hits
}

/** Every string inside a JSON value, with how many times it is JSON-encoded in the stored text. */
function stringsIn(value: unknown, depth: number, out: { text: string; depth: number }[]): void {
  if (depth > 4) return
  if (typeof value === 'string') {
    out.push({ text: value, depth })
    const inner = value.trimStart()
    if (inner.startsWith('{') || inner.startsWith('[')) {
      try {
        stringsIn(JSON.parse(value), depth + 1, out)
      } catch {
        // Not JSON after all: its text was scanned as it is.
      }
    }
  } else if (Array.isArray(value)) for (const v of value) stringsIn(v, depth, out)
  else if (value && typeof value === 'object') for (const v of Object.values(value)) stringsIn(v, depth, out)
}

/** The secrets in one stored cell: its text as stored, and every string inside it when it is JSON. */
export function secretsInCell(raw: string, rules: SecretRule[], allow: ReadonlySet<string>): Hit[] {
  const found = findSecrets(raw, rules, allow)
  const trimmed = raw.trimStart()
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    const strings: { text: string; depth: number }[] = []
    try {
      stringsIn(JSON.parse(raw), 1, strings)
    } catch {
      // Malformed JSON: the text as stored was scanned.
    }
    for (const s of strings)
      for (const hit of findSecrets(s.text, rules, allow)) {
        // The same secret seen at another depth, still JSON-encoded there: one finding, decoded.
        const forms = storedForms(hit.secret)
        const same = found.findIndex(
          (f) => forms.includes(f.secret) || storedForms(f.secret).includes(hit.secret),
        )
        if (same === -1) found.push(hit)
        else if (forms.includes(found[same]!.secret)) found[same] = hit
      }
  }
  return found
}

const IS_DELTA = `type = 'meta' AND CASE WHEN json_valid(extra) THEN json_extract(extra, '$.kind') = 'assistant_delta' END`

interface Row {
  rowid: number
  id: unknown
  conversation_id: unknown
  seq: unknown
  content: unknown
  tool_calls: unknown
  extra: unknown
  raw: unknown
}

const text = (cell: unknown): string | null =>
  typeof cell === 'string' ? cell : Buffer.isBuffer(cell) ? cell.toString('utf8') : null

/** Scans rows of the history (every conversation, or the ones named); calls `onRow` for progress. */
export function scanHistory(db: Database.Database, options: ScanOptions = {}, onRow?: () => void): Finding[] {
  const rules = RULES.filter(
    (r) => (options.pii || !r.pii) && (!options.rules || options.rules.includes(r.id)),
  )
  const allow = new Set(options.allow ?? [])
  const list = options.conversations ? JSON.stringify(options.conversations) : null
  const where = list ? 'WHERE conversation_id IN (SELECT value FROM json_each(@list))' : ''
  const findings: Finding[] = []
  const rows = db
    .prepare<{ list: string | null }, Row>(
      `SELECT rowid, id, conversation_id, seq, content, tool_calls, extra, raw FROM chat_events ${where}`,
    )
    .iterate({ list })
  for (const row of rows) {
    onRow?.()
    for (const column of COLUMNS) {
      const cell = text(row[column])
      if (!cell) continue
      for (const hit of secretsInCell(cell, rules, allow))
        findings.push(finding(row, column, hit.rule, hit.secret))
    }
  }
  findings.push(...scanChunkGroups(db, where, list, rules, allow))
  return findings
}

function finding(
  row: Row,
  column: Finding['column'],
  rule: string,
  secret: string,
  spans?: ChunkSpan[],
): Finding {
  return {
    rule,
    conversation_id: String(row.conversation_id),
    event_id: String(row.id),
    seq: Number(row.seq),
    column,
    masked: mask(secret),
    secret,
    rowid: row.rowid,
    ...(spans ? { spans } : {}),
  }
}

/** Secrets that only appear once a reply's chunks are put together (each piece alone is harmless). */
function scanChunkGroups(
  db: Database.Database,
  where: string,
  list: string | null,
  rules: SecretRule[],
  allow: ReadonlySet<string>,
): Finding[] {
  const chunks = db
    .prepare<{ list: string | null }, Row & { urid: unknown }>(
      `SELECT rowid, id, conversation_id, seq, content, NULL AS tool_calls, NULL AS extra, NULL AS raw,
         json_extract(extra, '$.user_request_id') AS urid
       FROM chat_events ${where ? `${where} AND` : 'WHERE'} ${IS_DELTA}
       ORDER BY conversation_id, urid, seq`,
    )
    .iterate({ list })
  const findings: Finding[] = []
  let group: (Row & { urid: unknown })[] = []
  const flush = () => {
    if (group.length > 1) findings.push(...secretsAcross(group, rules, allow))
    group = []
  }
  for (const chunk of chunks) {
    const last = group.at(-1)
    if (last && (last.conversation_id !== chunk.conversation_id || last.urid !== chunk.urid)) flush()
    group.push(chunk)
  }
  flush()
  return findings
}

function secretsAcross(group: Row[], rules: SecretRule[], allow: ReadonlySet<string>): Finding[] {
  const pieces = group.map((row) => text(row.content) ?? '')
  const starts: number[] = []
  let at = 0
  for (const piece of pieces) {
    starts.push(at)
    at += piece.length
  }
  const merged = pieces.join('')
  return findSecrets(merged, rules, allow).flatMap((hit) => {
    const spans: ChunkSpan[] = []
    group.forEach((row, i) => {
      const start = Math.max(hit.start, starts[i]!)
      const end = Math.min(hit.end, starts[i]! + pieces[i]!.length)
      if (start < end) spans.push({ rowid: row.rowid, start: start - starts[i]!, end: end - starts[i]! })
    })
    // Inside one chunk it is that row's finding already.
    return spans.length > 1
      ? [
          finding(
            group[spans.length > 0 ? group.findIndex((r) => r.rowid === spans[0]!.rowid) : 0]!,
            'chunks',
            hit.rule,
            hit.secret,
            spans,
          ),
        ]
      : []
  })
}
