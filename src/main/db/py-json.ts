// Python's text for JSON values, so what we write and show matches what the seed's Python code does.
import type { JsonValue } from '../../shared/chat-event'

const NON_ASCII = /[\u007f-\uffff]/g
const escapeNonAscii = (ch: string): string => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`

// JS and Python print numbers alike, except that Python pads exponents to two digits (1e-07).
const pyNumber = (n: number): string =>
  String(n).replace(/e([+-])(\d)$/, (_, sign: string, digit: string) => `e${sign}0${digit}`)

/** `json.dumps(value)` with Python's defaults: `", "` and `": "` separators, non-ASCII as `\uXXXX`. */
export function pyJsonDumps(value: JsonValue): string {
  if (value === null) return 'null'
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  if (typeof value === 'number') return pyNumber(value)
  if (typeof value === 'string') return JSON.stringify(value).replace(NON_ASCII, escapeNonAscii)
  if (Array.isArray(value)) return `[${value.map(pyJsonDumps).join(', ')}]`
  const items = Object.entries(value).map(([k, v]) => `${pyJsonDumps(k)}: ${pyJsonDumps(v)}`)
  return `{${items.join(', ')}}`
}

// Characters Python's str.isprintable() rejects (approximately: by Unicode category), except space.
const NOT_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u
const SIMPLE_ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' }

function pyStrRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'"
  let out = quote
  for (const ch of text) {
    const code = ch.codePointAt(0)!
    if (SIMPLE_ESCAPES[ch]) out += SIMPLE_ESCAPES[ch]
    else if (ch === quote) out += `\\${ch}`
    else if (ch !== ' ' && NOT_PRINTABLE.test(ch)) {
      if (code < 0x100) out += `\\x${code.toString(16).padStart(2, '0')}`
      else if (code < 0x10000) out += `\\u${code.toString(16).padStart(4, '0')}`
      else out += `\\U${code.toString(16).padStart(8, '0')}`
    } else out += ch
  }
  return out + quote
}

/** Python's `repr()` of a decoded JSON value (`True`, `None`, `{'k': 'v'}`). */
export function pyRepr(value: JsonValue): string {
  if (value === null) return 'None'
  if (typeof value === 'boolean') return value ? 'True' : 'False'
  if (typeof value === 'number') return pyNumber(value)
  if (typeof value === 'string') return pyStrRepr(value)
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`
  return `{${Object.entries(value)
    .map(([k, v]) => `${pyStrRepr(k)}: ${pyRepr(v)}`)
    .join(', ')}}`
}

/** Python's `str(value)`: strings unchanged, anything else as its repr. */
export function pyStr(value: JsonValue): string {
  return typeof value === 'string' ? value : pyRepr(value)
}
