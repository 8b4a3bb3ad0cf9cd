// Redaction as row edits: only the matched span becomes `[REDACTED:<rule>]`, the rest of the text
// stays; inside JSON the secret is replaced where it sits (at whatever depth of encoding), so every JSON
// column stays valid and as the Python app wrote it; a secret split across streamed chunks loses its
// piece in every chunk (the mark goes where it started).
import type Database from 'better-sqlite3'
import type { Replacement, StepSpec } from '../db/journaled-write'
import { redactionMark, storedForms } from './rules'
import { COLUMNS, type Column, type Finding } from './scan'

interface StoredRow {
  rowid: number
  quoted: string
  conversation_id: unknown
  content: unknown
  tool_calls: unknown
  extra: unknown
  raw: unknown
}

const isJson = (text: string) => {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}

export interface RedactionPlan {
  steps: StepSpec[]
  /** Findings that cannot be redacted in place, and why (a BLOB cell, a row changed since the scan). */
  skipped: { finding: Finding; reason: string }[]
  rows: number
}

/** The edits that remove `findings`, grouped by conversation (one transaction each). */
export function planRedaction(db: Database.Database, findings: Finding[]): RedactionPlan {
  const byRow = new Map<number, Finding[]>()
  const add = (rowid: number, f: Finding) => byRow.set(rowid, [...(byRow.get(rowid) ?? []), f])
  for (const f of findings) {
    if (f.spans) for (const s of f.spans) add(s.rowid, f)
    else add(f.rowid, f)
  }
  const read = db.prepare<[number], StoredRow>(
    'SELECT rowid, quote(id) AS quoted, conversation_id, content, tool_calls, extra, raw FROM chat_events WHERE rowid = ?',
  )
  const skipped: RedactionPlan['skipped'] = []
  const byConversation = new Map<unknown, { rows: StepSpec['rows']; replacements: Replacement[] }>()
  for (const [rowid, rowFindings] of byRow) {
    const row = read.get(rowid)
    const columns = row && editRow(row, rowid, rowFindings, skipped)
    if (!row || !columns) {
      if (!row)
        for (const f of rowFindings) skipped.push({ finding: f, reason: 'the row is gone since the scan' })
      continue
    }
    const group = byConversation.get(row.conversation_id) ?? { rows: [], replacements: [] }
    group.rows.push([rowid, row.quoted])
    group.replacements.push({ rowid, columns })
    byConversation.set(row.conversation_id, group)
  }
  const steps = [...byConversation].map(([conversation_id, g]): StepSpec => ({
    kind: 'replace',
    conversation_id,
    rows: g.rows,
    replacements: g.replacements,
  }))
  return { steps, skipped, rows: steps.reduce((n, s) => n + s.rows.length, 0) }
}

/** The row's new column values, or undefined when nothing in it can be changed. */
function editRow(
  row: StoredRow,
  rowid: number,
  findings: Finding[],
  skipped: RedactionPlan['skipped'],
): Replacement['columns'] | undefined {
  const cells: Partial<Record<Column, string>> = {}
  const cell = (column: Column): string | undefined => {
    const value = cells[column] ?? row[column]
    return typeof value === 'string' ? value : undefined
  }
  // Pieces of secrets split across chunks first: their offsets are in the text as scanned.
  const pieces = findings
    .flatMap((f) => (f.spans ?? []).map((s, i) => ({ f, s, first: i === 0 })))
    .filter((p) => p.s.rowid === rowid)
    .sort((a, b) => b.s.start - a.s.start)
  for (const { f, s, first } of pieces) {
    const content = cell('content')
    if (content === undefined || !f.secret.includes(content.slice(s.start, s.end))) {
      skipped.push({ finding: f, reason: 'the chunk changed since the scan' })
      continue
    }
    cells.content = content.slice(0, s.start) + (first ? redactionMark(f.rule) : '') + content.slice(s.end)
  }
  for (const f of findings) {
    if (f.spans) continue
    const column = f.column as Column
    const before = cell(column)
    if (before === undefined) {
      skipped.push({ finding: f, reason: 'the cell is not text (a BLOB): left as it is' })
      continue
    }
    let after = before
    for (const form of storedForms(f.secret)) after = after.split(form).join(redactionMark(f.rule))
    if (isJson(before) && !isJson(after)) {
      skipped.push({ finding: f, reason: 'replacing it would break the JSON around it' })
      continue
    }
    cells[column] = after
  }
  const changed = COLUMNS.filter((c) => cells[c] !== undefined && cells[c] !== row[c])
  if (changed.length === 0) return undefined
  return Object.fromEntries(changed.map((c) => [c, cells[c]!]))
}
