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

interface Found {
  total: number
  capped: boolean
  order: string
  hits: { conversation_id: string; seq: number; matched: string; created_at: string; snippet: string }[]
}

const found = (data: string, ...args: string[]) => {
  const r = chv(data, 'search', ...args, '--json')
  expect(r).toMatchObject({ code: 0, stderr: '' })
  return JSON.parse(r.stdout) as Found
}

describe('chv search', () => {
  it('finds tool names, arguments and ids with a total, from an index in the data folder', () => {
    const path = demoFile()
    ChatRepository.open(path).close()
    const before = sha256(path)
    const data = tempDir()
    const result = found(data, path, 'get_weather metric')
    expect(result).toMatchObject({ total: 1, order: 'newest', capped: false })
    expect(result.hits[0]).toMatchObject({ conversation_id: 'demo-weather-paris', seq: 2, matched: 'detail' })
    expect(result.hits[0]!.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    expect(readdirSync(join(data, 'search')).some((f) => f.endsWith('.search.db'))).toBe(true)
    expect(sha256(path)).toBe(before)
    expect(found(data, path, 'call_fc_1').total).toBe(2)
    const text = chv(data, 'search', path, 'umbrella OR breed')
    expect(text.code).toBe(0)
    expect(text.stdout).toMatch(/take an «umbrella»/)
    expect(text.stdout).toMatch(/\(1-3 of 3 matches, newest first\)\n$/)
  })

  it('orders by relevance, pages with --offset, filters by conversation, type and model', () => {
    const path = demoFile()
    const data = tempDir()
    expect(found(data, path, 'Paris', '--order', 'relevance').order).toBe('relevance')
    const all = found(data, path, 'Paris')
    const second = found(data, path, 'Paris', '--limit', '1', '--offset', '1')
    expect(second.total).toBe(all.total)
    expect(second.hits).toEqual([all.hits[1]])
    expect(found(data, path, 'umbrella', '--type', 'user_message').hits.map((h) => h.seq)).toEqual([1])
    expect(
      found(data, path, 'Paris', '--model', 'gpt-4o').hits.every((h) => h.seq === 2 || h.seq === 5),
    ).toBe(true)
    expect(found(data, path, 'umbrella', '--conversation', 'demo-multimodal').total).toBe(0)
  })

  it('takes a stray quote as text, and refuses bad options in one line', () => {
    const path = demoFile()
    const data = tempDir()
    expect(found(data, path, 'umbrella"').total).toBe(2)
    expect(chv(data, 'search', path, '"')).toMatchObject({ code: 0, stdout: 'No matches.\n' })
    expect(chv(data, 'search', path)).toMatchObject({ code: 1, stderr: 'chv: missing the QUERY argument\n' })
    expect(chv(data, 'search', path, 'x', '--order', 'best')).toMatchObject({
      code: 1,
      stderr: 'chv: --order takes newest or relevance, not "best"\n',
    })
    expect(chv(data, 'search', path, 'x', '--limit', '0').stderr).toMatch(
      /^chv: --limit takes a whole number/,
    )
  })
})
