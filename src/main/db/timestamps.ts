// Timestamps in the formats the seed writes and reads.

/** Python's `datetime.isoformat()` of an aware UTC datetime, always with microseconds. */
export function toPythonIso(date: Date): string {
  const iso = date.toISOString() // 2026-03-01T09:00:00.123Z
  return `${iso.slice(0, 23)}000+00:00`
}

/** Python's `int(dt.timestamp())`: whole seconds, rounded down. */
export function toUnixSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000)
}

const ISO_TEXT =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|[+-]\d{2}:?\d{2})?$/

/**
 * Parses the `created_at` texts the seed meets (`YYYY-MM-DD HH:MM:SS`, `...Z`, `...+00:00`, with or
 * without fraction). Text without an offset is UTC, as SQLite's `strftime` reads it.
 */
export function parseTimestamp(text: string): Date | undefined {
  const m = ISO_TEXT.exec(text.trim())
  if (!m) return undefined
  const [, y, mo, d, h, mi, s = '0', frac = '', zone] = m
  const ms = Number(frac.padEnd(3, '0').slice(0, 3))
  let time = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms)
  if (zone && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1
    const digits = zone.slice(1).replace(':', '')
    time -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000
  }
  return Number.isNaN(time) ? undefined : new Date(time)
}
