import { fileURLToPath } from 'node:url'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { HandlerHost } from '../../../src/main/api/handler-host'
import { ChatRepository } from '../../../src/main/db/repository'
import { demoFile } from '../../helpers/demo'
import { tempDir } from '../../helpers/files'
import { ODD_ROWS, oddRowFile } from '../../helpers/odd-rows'

const WORKER = fileURLToPath(new URL('../../../src/main/api/handler-worker.ts', import.meta.url))
const LOADER = fileURLToPath(new URL('../../helpers/ts-worker.mjs', import.meta.url))
const hosts: HandlerHost[] = []
afterEach(async () => {
  for (const host of hosts.splice(0)) await host.close()
})

function start(allowWrite = false) {
  const dir = tempDir()
  const host = new HandlerHost(
    LOADER,
    {
      mode: allowWrite ? 'write' : 'read',
      dataDir: dir,
      searchDir: join(dir, 'search'),
      allowWrite,
    },
    [WORKER],
  )
  hosts.push(host)
  return host
}

describe('the handlers in a worker thread', () => {
  it('answer as the in-process handlers do, with the same refusals', async () => {
    const host = start()
    const ref = await host.add(demoFile())
    expect(await host.add(ref.path)).toEqual(ref)
    expect(host.files()).toEqual([ref])
    const page = await host.dispatch('conversations.list', { fileId: ref.fileId, limit: 2 })
    expect(page).toMatchObject({ kind: 'ok', output: { ok: true, value: { conversations: [{}, {}] } } })
    expect(await host.dispatch('conversations.list', { fileId: ref.fileId, limit: -1 })).toMatchObject({
      kind: 'bad_input',
    })
    expect(await host.dispatch('nope', {})).toMatchObject({ kind: 'unknown_channel' })
    const apply = { fileId: ref.fileId, planId: 'p', replies: 0, chunks: 0 }
    expect(await host.dispatch('cleanup.apply', apply)).toMatchObject({
      kind: 'writes_disabled',
    })
  })

  it('leave the calling thread free while a query reads a whole file', async () => {
    const path = join(tempDir(), 'big.db')
    const repo = ChatRepository.open(path, { mode: 'create' })
    repo.addEvents(
      Array.from({ length: 60_000 }, (_, i) => ({
        conversation_id: `c${i % 3000}`,
        type: 'user_message',
        content: `message ${i}`,
      })),
    )
    repo.close()
    const host = start()
    const { fileId } = await host.add(path)
    let ticks = 0
    const timer = setInterval(() => ticks++, 1)
    // A filter reads every row; in-process this call would hold the thread until it returned.
    const filtered = await host.dispatch('conversations.list', { fileId, limit: 10, filter: 'c29' })
    clearInterval(timer)
    expect(filtered).toMatchObject({ kind: 'ok', output: { ok: true } })
    expect(ticks).toBeGreaterThan(0)
  })

  it('a BLOB row met by the search index in the background leaves every later call answering', async () => {
    const host = start()
    const ref = await host.add(oddRowFile(ODD_ROWS.find((o) => o.kind === 'content as BLOB')!))
    const search = { fileId: ref.fileId, text: 'blob' }
    expect(await host.dispatch('search.query', search)).toMatchObject({ kind: 'ok', output: { ok: true } })
    // The index is built in steps between calls: give it time to meet the row.
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(await host.dispatch('files.list', {})).toEqual({ kind: 'ok', output: [ref] })
    expect(await host.dispatch('search.query', search)).toMatchObject({
      kind: 'ok',
      output: { ok: true, value: { hits: [{ event_id: 'o2' }], status: { state: 'ready' } } },
    })
  })

  it('a worker that stops is replaced, with the same files under the same ids', async () => {
    const host = start()
    const ref = await host.add(demoFile())
    // What an exception outside any call does to a worker thread: it ends.
    await (host as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate()
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(await host.dispatch('files.list', {})).toEqual({ kind: 'ok', output: [ref] })
    expect(await host.dispatch('conversations.list', { fileId: ref.fileId, limit: 2 })).toMatchObject({
      kind: 'ok',
      output: { ok: true, value: { conversations: [{}, {}] } },
    })
  })
})
