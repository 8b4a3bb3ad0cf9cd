import { describe, expect, it } from 'vitest'
import { newEventId } from '../../../src/main/db/ids'
import { parseTimestamp, toPythonIso, toUnixSeconds } from '../../../src/main/db/timestamps'
import { python } from '../../helpers/python'

describe('timestamps', () => {
  it('reads every format the seed met, text without an offset as UTC', () => {
    const expected = Date.UTC(2026, 2, 1, 9, 0, 0)
    for (const text of [
      '2026-03-01 09:00:00',
      '2026-03-01T09:00:00Z',
      '2026-03-01T09:00:00+00:00',
      '2026-03-01T10:00:00+01:00',
      '2026-03-01T09:00:00.000000+00:00',
    ]) {
      expect(parseTimestamp(text)?.getTime()).toBe(expected)
    }
    expect(parseTimestamp('2026-03-01T09:00:00.123456+00:00')?.getTime()).toBe(expected + 123)
    expect(parseTimestamp('yesterday')).toBeUndefined()
  })

  it('writes what Python`s datetime.isoformat() and int(timestamp()) give for the same instant', () => {
    const date = new Date('2026-03-01T09:00:00.987Z')
    const out = python(
      'import sys, datetime; d = datetime.datetime(2026, 3, 1, 9, 0, 0, 987000, tzinfo=datetime.timezone.utc); print(d.isoformat(), int(d.timestamp()))',
    )
    expect(`${toPythonIso(date)} ${toUnixSeconds(date)}`).toBe(out.trim())
  })
})

describe('event ids', () => {
  it('are UUIDv7 and sort by creation time', () => {
    const ids = [newEventId(1_000), newEventId(2_000), newEventId(3_000)]
    expect(ids[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect([...ids].sort()).toEqual(ids)
    expect(new Set(Array.from({ length: 1000 }, () => newEventId())).size).toBe(1000)
  })
})
