// Reading the JSON and text cells of rows we did not write: never a throw, never a value so deep that
// recursive code (JSON.stringify, Python-style repr, zod, React) overflows the stack on it.
import type { JsonValue } from '../../shared/chat-event'

/**
 * JSON nested deeper than this is kept as its text. Recursive code overflows the stack somewhere near
 * 5,000 levels (JSON.stringify does in Node 20); what chat apps write is a few dozen levels deep.
 */
export const MAX_JSON_DEPTH = 100

/** Whether `text` opens more than `max` arrays or objects inside one another (strings skipped). */
export function nestedDeeperThan(text: string, max = MAX_JSON_DEPTH): boolean {
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c) i++
      else if (c === 0x22) inString = false
    } else if (c === 0x22) inString = true
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true
    } else if (c === 0x5d || c === 0x7d) depth--
  }
  return false
}

/** The parsed value, or undefined when the text is not JSON or is nested too deep to pass on safely. */
export function parseJsonCell(text: string): { value: JsonValue } | undefined {
  if (nestedDeeperThan(text)) return undefined
  try {
    return { value: JSON.parse(text) as JsonValue }
  } catch {
    return undefined
  }
}

export type Cell = string | number | bigint | Buffer | null

/** A cell as text, whatever SQLite stored: BLOBs decoded as UTF-8, numbers as digits. */
export const cellText = (cell: Cell): string | null =>
  cell === null ? null : Buffer.isBuffer(cell) ? cell.toString('utf8') : String(cell)

/** A cell that should hold a number: the number, or undefined when it does not (text, BLOB, NULL). */
export function cellNumber(cell: Cell): number | undefined {
  if (typeof cell === 'number') return Number.isFinite(cell) ? cell : undefined
  if (typeof cell === 'bigint') return Number(cell)
  return undefined
}
