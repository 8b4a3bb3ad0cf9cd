import { describe, expect, it } from 'vitest'
import { count, eventTime, number } from '../../../src/renderer/src/lib/format'

describe('count', () => {
  it('groups digits and says one or many', () => {
    expect(count(1, 'event')).toBe('1 event')
    expect(count(0, 'event')).toBe('0 events')
    expect(count(198047, 'reply', 'replies')).toBe(`${number(198047)} replies`)
    expect(number(198047)).toMatch(/^198\D047$/)
  })
})

describe('eventTime', () => {
  // The test process's zone is whatever the machine has: compare with the same formatter's parts.
  const zone = new Intl.DateTimeFormat('en-CA', { timeZoneName: 'short' })
    .formatToParts(Date.UTC(2026, 0, 1))
    .find((p) => p.type === 'timeZoneName')!.value

  it('names the time zone, in year-month-day order, and reads naive text as UTC (as the seed does)', () => {
    const aware = eventTime('2026-01-01T00:00:01+00:00')
    expect(aware).toMatch(new RegExp(`^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d ${zone}$`))
    expect(eventTime('2026-01-01T00:00:01')).toBe(aware)
    expect(eventTime('2026-01-01 00:00:01')).toBe(aware)
    expect(eventTime('2026-01-01T00:00:01Z')).toBe(aware)
  })

  it('shows text that is not a time as it is', () => {
    expect(eventTime('yesterday-ish')).toBe('yesterday-ish')
  })
})
