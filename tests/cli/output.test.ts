// chv's JSON output, written an element at a time, is byte for byte what JSON.stringify(…, null, 2) gives.
import { readFileSync, openSync, closeSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { progressLine } from '../../src/cli/list-filters'
import { writeJson, writeText } from '../../src/cli/output'
import { tempDir } from '../helpers/files'

function writtenBy(write: (fd: number) => void): string {
  const path = join(tempDir(), 'out.txt')
  const fd = openSync(path, 'w')
  write(fd)
  closeSync(fd)
  return readFileSync(path, 'utf8')
}

const written = (value: unknown) => writtenBy((fd) => writeJson(fd, value))

describe('writeJson', () => {
  it.each([
    [
      'an array of events',
      [{ a: 1, b: [1, [2, {}], []], c: 'line\nbreak' }, null, 'x', [[]], { d: { e: [] } }],
    ],
    ['an empty array', []],
    ['an object', { ok: true, list: [1, 2] }],
    ['null', null],
    ['a one-element array', [{ only: 'one' }]],
  ])('%s', (_name, value) => {
    expect(written(value)).toBe(`${JSON.stringify(value, null, 2)}\n`)
  })

  it('escapes DEL and C1 controls as JSON escapes (JSON.stringify leaves them raw)', () => {
    const value = [{ text: 'a\u009b2Jb\u007f' }]
    expect(written(value)).toBe(
      `${JSON.stringify(value, null, 2).replace('\u009b', '\\u009b').replace('\u007f', '\\u007f')}\n`,
    )
    expect(JSON.parse(written(value))).toEqual(value)
  })
})

describe('progress lines on a terminal', () => {
  it('show a file name with control characters escaped', () => {
    const line = progressLine('/tmp/a\u001b]0;title\u0007.db', {
      state: 'building',
      indexed: 1,
      total: 2,
      pendingConversations: 0,
    })
    expect(line).toBe('indexing /tmp/a\\x1b]0;title\\x07.db: 50% of 2 rows')
  })
})

describe('writeText', () => {
  it('writes blocks with a blank line between them, as one joined string would be, escaped', () => {
    const blocks = ['#1 first\n    text', '#2 second \u001b[2J', 'third']
    expect(writtenBy((fd) => writeText(fd, blocks))).toBe(
      '#1 first\n    text\n\n#2 second \\x1b[2J\n\nthird\n',
    )
    expect(writtenBy((fd) => writeText(fd, 'one'))).toBe('one\n')
  })
})
