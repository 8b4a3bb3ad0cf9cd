// Days as a date input gives them (YYYY-MM-DD), as Unix times in the viewer's time zone: the list's
// filters, going to a date, and search's date range all read a day the same way.

const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/

/** The start of a day in the viewer's time zone, as a Unix time; null for anything not a whole date. */
export function dayStart(day: string): number | null {
  const match = DAY_PATTERN.exec(day)
  if (!match) return null
  const ms = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3])).getTime()
  return Number.isNaN(ms) ? null : Math.floor(ms / 1000)
}

/** The last second of a day in the viewer's time zone. */
export function dayEnd(day: string): number | null {
  const start = dayStart(day)
  if (start === null) return null
  const match = DAY_PATTERN.exec(day)!
  return (
    Math.floor(new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + 1).getTime() / 1000) - 1
  )
}
