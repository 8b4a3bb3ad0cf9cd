// Small display helpers.

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
]
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' })

/** "3 hours ago" for a Unix time; "—" when unknown. */
export function timeAgo(unix: number | null, now = Date.now()): string {
  if (unix === null) return '—'
  const seconds = unix - now / 1000
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return relative.format(Math.round(seconds / size), unit)
  }
  return 'just now'
}

export const exactTime = (unix: number | null): string =>
  unix === null ? 'unknown time' : new Date(unix * 1000).toLocaleString(undefined, { timeZoneName: 'short' })

const grouped = new Intl.NumberFormat()

/** "1 event", "198,047 replies": digit grouping and the right plural (English: one vs other). */
export function count(n: number, one: string, other = `${one}s`): string {
  return `${grouped.format(n)} ${n === 1 ? one : other}`
}

export const number = (n: number): string => grouped.format(n)

const eventClock = new Intl.DateTimeFormat('en-CA', {
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
  timeZoneName: 'short',
})

/**
 * An event's `created_at` in the viewer's time zone, with the zone named so nobody has to guess. The
 * seed writes ISO text (naive ones are UTC); text that does not parse is shown as it is.
 */
export function eventTime(createdAt: string): string {
  const text = createdAt.replace(' ', 'T')
  const ms = Date.parse(/[zZ]$|[+-]\d\d:?\d\d$/.test(text) ? text : `${text}Z`)
  if (Number.isNaN(ms)) return createdAt
  // Year-month-day order whatever the locale: a log reads best sorted.
  const part = Object.fromEntries(eventClock.formatToParts(ms).map((p) => [p.type, p.value]))
  return `${part.year}-${part.month}-${part.day} ${part.hour}:${part.minute}:${part.second} ${part.timeZoneName}`
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB']
  let value = bytes
  let unit = 0
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000
    unit++
  }
  return `${value.toFixed(value < 10 && unit > 0 ? 1 : 0)} ${units[unit]}`
}

/** JSON text pretty-printed when it parses; otherwise undefined. */
export function prettyJson(text: string): string | undefined {
  try {
    return JSON.stringify(JSON.parse(text), null, 2)
  } catch {
    return undefined
  }
}
