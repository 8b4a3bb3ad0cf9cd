// The indexes as the Storage panel sees them: their size beside the file's, and "Delete index", which
// deletes both (derived and search) and lets the next question build them again.
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { FileRegistry } from '../../../src/main/api/file-registry'
import { createHandlers } from '../../../src/main/api/handlers'
import { contract, type Channel, type Output } from '../../../src/shared/api'
import { demoFile } from '../../helpers/demo'
import { sha256, tempDir } from '../../helpers/files'

function setUp() {
  const files = new FileRegistry('read')
  const path = demoFile()
  const ref = files.add(path)
  const searchDir = join(tempDir(), 'search')
  const handlers = createHandlers(files, { dataDir: tempDir(), searchDir })
  /** Calls a handler with input parsed by the contract, checks its output against its schema, unwraps it. */
  const call = <C extends Channel>(channel: C, input: unknown) => {
    const output = (handlers[channel] as (i: unknown) => unknown)(contract[channel].input.parse(input))
    const parsed = contract[channel].output.parse(output) as
      { ok: true; value: unknown } | { ok: false; message: string }
    if (!parsed.ok) throw new Error(parsed.message)
    return parsed.value as Extract<Output<C>, { ok: true }>['value']
  }
  return { fileId: ref.fileId, call, path, searchDir }
}

/** Lets the background steps run until `ready` holds. */
async function until<T>(ask: () => T, ready: (answer: T) => boolean): Promise<T> {
  for (let i = 0; i < 500; i++) {
    const answer = ask()
    if (ready(answer)) return answer
    await new Promise((resolve) => setImmediate(resolve))
  }
  throw new Error('never ready')
}

const indexFiles = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((n) => n.endsWith('.db')) : [])

describe('index.status and index.delete', () => {
  it('size both indexes; delete removes both files, and the next questions build them again', async () => {
    const { fileId, call, path, searchDir } = setUp()
    const before = sha256(path)
    // No search yet: the search index has no file, and asking for the status does not make one.
    expect(call('index.status', { fileId }).searchBytes).toBe(0)
    await until(
      () => call('search.find', { fileId, text: 'umbrella' }),
      (a) => a.status.state === 'ready',
    )
    const status = await until(
      () => call('index.status', { fileId }),
      (a) => a.state === 'ready',
    )
    expect(status.bytes).toBeGreaterThan(0)
    expect(status.searchBytes).toBeGreaterThan(0)
    expect(indexFiles(searchDir).sort()).toEqual([
      expect.stringMatching(/\.derived\.db$/),
      expect.stringMatching(/\.search\.db$/),
    ])

    expect(call('index.delete', { fileId })).toEqual({ deleted: true })
    expect(indexFiles(searchDir)).toEqual([])
    expect(readdirSync(searchDir)).toEqual([]) // no -wal or -shm left either

    // Search still answers: its index is built again on demand.
    const again = await until(
      () => call('search.find', { fileId, text: 'umbrella' }),
      (a) => a.status.state === 'ready',
    )
    expect(again.total).toBe(2)
    const rebuilt = await until(
      () => call('index.status', { fileId }),
      (a) => a.state === 'ready',
    )
    expect(rebuilt.searchBytes).toBeGreaterThan(0)
    expect(rebuilt.bytes).toBeGreaterThan(0)
    expect(sha256(path)).toBe(before)
  })

  it('says deleted: false when there was nothing to delete', () => {
    const { fileId, call, searchDir } = setUp()
    expect(call('index.delete', { fileId })).toEqual({ deleted: false })
    expect(indexFiles(searchDir)).toEqual([])
  })
})

describe('search.find names the tool call a match is in', () => {
  it('by its function name for a match in arguments or a call id; null for a match in ids only', async () => {
    const { fileId, call } = setUp()
    const metric = await until(
      () => call('search.find', { fileId, text: 'metric' }),
      (a) => a.status.state === 'ready',
    )
    expect(metric.hits.map((h) => [h.matched, h.tool])).toEqual([['detail', 'get_weather']])
    const hours = call('search.find', { fileId, text: 'hours' })
    // "hours" is in get_forecast's arguments, and in the text of its result and of the reply.
    expect(hours.hits.map((h) => [h.type, h.matched, h.tool ?? null]).sort()).toEqual([
      ['assistant_message', 'detail', 'get_forecast'],
      ['assistant_message', 'text', null],
      ['tool_result', 'text', null],
    ])
    // The call id is in the call (get_forecast) and in the result's extra (no call there).
    const id = call('search.find', { fileId, text: 'call_fc_1' })
    expect(id.hits.map((h) => [h.type, h.tool]).sort()).toEqual([
      ['assistant_message', 'get_forecast'],
      ['tool_result', null],
    ])
  })
})
