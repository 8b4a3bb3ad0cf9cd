import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { FileRegistry } from '../../../src/main/api/file-registry'
import { createHandlers, type Handlers } from '../../../src/main/api/handlers'
import { contract, type Channel } from '../../../src/shared/api'
import { demoFile } from '../../helpers/demo'
import { sha256, tempDir } from '../../helpers/files'

function setUp() {
  const files = new FileRegistry('read')
  const path = demoFile()
  const ref = files.add(path)
  const handlers = createHandlers(files, { dataDir: tempDir(), searchDir: join(tempDir(), 'search') })
  /** Calls a handler with input parsed by the contract, and checks the output against its schema. */
  const call = <C extends Channel>(channel: C, input: unknown) => {
    const output = (handlers[channel] as (i: unknown) => unknown)(contract[channel].input.parse(input))
    return contract[channel].output.parse(output) as ReturnType<Handlers[C]>
  }
  return { fileId: ref.fileId, call, path }
}

/** Lets the background steps run until the answer says the index is ready. */
async function whenReady<T extends { ok: boolean }>(ask: () => T, ready: (answer: T) => boolean): Promise<T> {
  for (let i = 0; i < 500; i++) {
    const answer = ask()
    if (ready(answer)) return answer
    await new Promise((resolve) => setImmediate(resolve))
  }
  throw new Error('the index never got ready')
}

describe('the derived index through the contract', () => {
  it('index.status says how far it got and its size; conversations.query filters with facet counts', async () => {
    const { fileId, call, path } = setUp()
    const before = sha256(path)
    const status = await whenReady(
      () => call('index.status', { fileId }),
      (a) => a.ok && a.value.state === 'ready',
    )
    expect(status).toMatchObject({ ok: true, value: { state: 'ready', pendingConversations: 0 } })
    if (!status.ok) throw new Error(status.message)
    expect(status.value.bytes).toBeGreaterThan(0)
    const all = call('conversations.query', { fileId })
    if (!all.ok) throw new Error(all.message)
    expect(all.value.total).toBe(7)
    expect(all.value.facets.tools).toEqual([
      { value: 'get_forecast', count: 1 },
      { value: 'get_weather', count: 1 },
    ])
    expect(all.value.facets.models.find((m) => m.value === 'gpt-4o')?.count).toBeGreaterThan(0)
    const withTool = call('conversations.query', { fileId, tool: 'get_weather', limit: 1 })
    expect(withTool).toMatchObject({
      ok: true,
      value: { total: 1, conversations: [{ conversation_id: 'demo-weather-paris', event_count: 5 }] },
    })
    const page = call('conversations.query', { fileId, offset: 5, limit: 5 })
    expect(page.ok && page.value.conversations.length).toBe(2)
    // Deleted on request, then built again when asked.
    expect(call('index.delete', { fileId })).toEqual({ ok: true, value: { deleted: true } })
    expect(call('index.status', { fileId })).toMatchObject({
      ok: true,
      value: { state: 'building', indexed: 0 },
    })
    await whenReady(
      () => call('index.status', { fileId }),
      (a) => a.ok && a.value.state === 'ready',
    )
    expect(call('conversations.query', { fileId, tool: 'get_weather' })).toMatchObject({
      ok: true,
      value: { total: 1 },
    })
    expect(sha256(path)).toBe(before)
  })

  it('search.find answers tool calls with totals; unknown files and bad input are refused', async () => {
    const { fileId, call } = setUp()
    const found = await whenReady(
      () => call('search.find', { fileId, text: 'call_fc_1', order: 'relevance' }),
      (a) => a.ok && a.value.status.state === 'ready',
    )
    expect(found).toMatchObject({
      ok: true,
      value: {
        total: 2,
        order: 'relevance',
        capped: false,
        hits: [{ conversation_id: 'demo-weather-paris' }, {}],
      },
    })
    expect(call('search.find', { fileId: 'f999', text: 'x' })).toMatchObject({
      ok: false,
      reason: 'unknown_file',
    })
    expect(call('conversations.query', { fileId: 'f999' })).toMatchObject({
      ok: false,
      reason: 'unknown_file',
    })
    expect(contract['conversations.query'].input.safeParse({ fileId, limit: 0 }).success).toBe(false)
    expect(contract['search.find'].input.safeParse({ fileId, text: 'x', order: 'best' }).success).toBe(false)
  })
})
