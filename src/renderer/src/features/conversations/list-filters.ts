// The list's filters as the user sets them, what the index is asked with them, and how they read as chips.
import type { Input } from '../../../../shared/api'
import { dayStart, dayEnd } from '../../lib/days'
import { number } from '../../lib/format'

export type Sort = 'last' | 'first'

export interface ListFilters {
  text: string
  model: string | null
  tool: string | null
  /** Days as a date input gives them (YYYY-MM-DD, the viewer's time zone), or ''. */
  since: string
  until: string
  hasTools: boolean
  hasPending: boolean
  hasProblems: boolean
  sort: Sort
}

export const NO_FILTERS: ListFilters = {
  text: '',
  model: null,
  tool: null,
  since: '',
  until: '',
  hasTools: false,
  hasPending: false,
  hasProblems: false,
  sort: 'last',
}

/** What `conversations.query` and `conversations.position` are asked, besides the file and the page. */
export type QueryFilters = Omit<Input<'conversations.query'>, 'fileId' | 'offset' | 'limit'>

export function toQuery(f: ListFilters): QueryFilters {
  return {
    text: f.text.trim(),
    model: f.model,
    tool: f.tool,
    // Active since the start of that day; begun by the end of that one.
    sinceUnix: dayStart(f.since),
    untilUnix: dayEnd(f.until),
    hasTools: f.hasTools,
    hasPending: f.hasPending,
    hasProblems: f.hasProblems,
    sort: f.sort,
  }
}

export interface ActiveFilter {
  key: keyof ListFilters
  label: string
  /** The filters without this one. */
  without: ListFilters
}

const longDay = (day: string) => {
  const start = dayStart(day)
  return start === null
    ? day
    : new Date(start * 1000).toLocaleDateString(undefined, {
        year: 'numeric',
        month: 'short',
        day: 'numeric',
      })
}

/** The filters narrowing the list, the text field's aside (it shows itself), as removable chips. */
export function activeFilters(f: ListFilters): ActiveFilter[] {
  const chips: ActiveFilter[] = []
  const add = (key: keyof ListFilters, label: string) =>
    chips.push({ key, label, without: { ...f, [key]: NO_FILTERS[key] } })
  if (f.model !== null) add('model', `Model: ${f.model}`)
  if (f.tool !== null) add('tool', `Tool: ${f.tool}`)
  if (dayStart(f.since) !== null) add('since', `Active since ${longDay(f.since)}`)
  if (dayStart(f.until) !== null) add('until', `Begun by ${longDay(f.until)}`)
  if (f.hasTools) add('hasTools', 'Has tool calls')
  if (f.hasPending) add('hasPending', 'Has pending chunks')
  if (f.hasProblems) add('hasProblems', 'Has problems')
  return chips
}

/** Whether anything narrows the list (the sort does not). */
export const isFiltered = (f: ListFilters): boolean => f.text.trim() !== '' || activeFilters(f).length > 0

/** "1,234 of 10,000 conversations", or "10,000 conversations" when nothing narrows them. */
export function matchingLine(matching: number, all: number | undefined, filtered: boolean): string {
  const noun = all === 1 || (!filtered && matching === 1) ? 'conversation' : 'conversations'
  if (!filtered || all === undefined) return `${number(matching)} ${noun}`
  return `${number(matching)} of ${number(all)} ${noun}`
}
