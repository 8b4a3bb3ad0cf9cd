import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { ChatRepository } from '../../src/main/db/repository'
import { CHV, chv } from '../helpers/chv-cli'
import { demoFile } from '../helpers/demo'
import { sha256, tempDir } from '../helpers/files'

beforeAll(() => {
  if (!existsSync(CHV)) throw new Error(`${CHV} is missing: run "npm run build:cli" (npm test does it first)`)
})

interface Listed {
  conversation_id: string
  models: string[]
  tools: string[]
  event_count: number
  last_activity: string
  first_activity: string
  pending_deltas: number
  problems: number
}

const listed = (data: string, ...args: string[]) => {
  const r = chv(data, 'ls', ...args, '--json')
  expect(r).toMatchObject({ code: 0, stderr: '' })
  return JSON.parse(r.stdout) as Listed[]
}

describe('chv ls with filters', () => {
  it('answers from an index in the data folder, never touching the file, in the seed`s field names', () => {
    const path = demoFile(new Date('2026-03-10T00:00:00Z'))
    ChatRepository.open(path).close()
    const before = sha256(path)
    const data = tempDir()
    const all = listed(data, path, '--sort', 'last')
    expect(readdirSync(join(data, 'search')).some((f) => f.endsWith('.derived.db'))).toBe(true)
    expect(sha256(path)).toBe(before)
    const plain = JSON.parse(chv(data, 'ls', path, '--json').stdout) as Listed[]
    expect(all.map((c) => c.conversation_id)).toEqual(plain.map((c) => c.conversation_id))
    expect(all.find((c) => c.conversation_id === 'demo-weather-paris')).toMatchObject({
      event_count: 5,
      models: ['gpt-4o'],
      tools: ['get_forecast', 'get_weather'],
      first_activity: '2026-03-07T00:00:00Z',
      last_activity: '2026-03-07T00:00:06Z',
    })
  })

  it('filters by text, model, tool, dates and flags', () => {
    const path = demoFile(new Date('2026-03-10T00:00:00Z'))
    const data = tempDir()
    const ids = (...args: string[]) => listed(data, path, ...args).map((c) => c.conversation_id)
    expect(ids('--tool', 'get_weather')).toEqual(['demo-weather-paris'])
    expect(ids('--filter', 'UMBRELLA')).toEqual(['demo-weather-paris'])
    expect(ids('--has-tools')).toEqual(['demo-weather-paris'])
    expect(ids('--has-pending').length).toBeGreaterThan(0)
    expect(ids('--has-pending').every((id) => ids('--has-problems').includes(id))).toBe(true)
    expect(ids('--model', 'no-such-model')).toEqual([])
    expect(ids('--since', '2026-03-09', '--until', '2026-03-09').length).toBeGreaterThan(0)
    expect(ids('--until', '2026-03-01')).toEqual([])
    const text = chv(data, 'ls', path, '--has-tools')
    expect(text.stdout).toMatch(/demo-weather-paris/)
  })

  it('refuses bad dates and sorts in one line; --limit alone still works without an index', () => {
    const path = demoFile()
    const data = tempDir()
    expect(chv(data, 'ls', path, '--since', 'yesterday')).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^chv: --since takes a date such as 2026-03-07/),
    })
    expect(chv(data, 'ls', path, '--sort', 'size')).toMatchObject({
      code: 1,
      stderr: 'chv: --sort takes last or first, not "size"\n',
    })
    expect(chv(data, 'ls', path, '--limit', '2')).toMatchObject({ code: 0 })
    expect(existsSync(join(data, 'search'))).toBe(false)
  })
})
