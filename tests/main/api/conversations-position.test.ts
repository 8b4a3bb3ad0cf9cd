import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { FileRegistry } from '../../../src/main/api/file-registry'
import { createHandlers, type Handlers } from '../../../src/main/api/handlers'
import { contract, type Channel } from '../../../src/shared/api'
import { tempDir } from '../../helpers/files'
import { variedFile, variedTraits } from '../../helpers/varied-history'

describe('conversations.position and conversations.page through the contract', () => {
  it('answers with the offset and the index status; refuses bad input and unknown files', async () => {
    const files = new FileRegistry('read')
    const { fileId } = files.add(variedFile())
    const handlers = createHandlers(files, { dataDir: tempDir(), searchDir: join(tempDir(), 'search') })
    const call = <C extends Channel>(channel: C, input: unknown) =>
      contract[channel].output.parse(
        (handlers[channel] as (i: unknown) => unknown)(contract[channel].input.parse(input)),
      ) as ReturnType<Handlers[C]>
    for (let i = 0; i < 500; i++) {
      const status = call('index.status', { fileId })
      if (status.ok && status.value.state === 'ready') break
      await new Promise((resolve) => setImmediate(resolve))
    }
    const at = variedTraits(30).firstUnix
    const answer = call('conversations.position', { fileId, atUnix: at, sort: 'first', model: 'gpt-4o' })
    if (!answer.ok) throw new Error(answer.message)
    expect(answer.value.status.state).toBe('ready')
    // gpt-4o is every third conversation (0, 3, …, 57): those begun after conversation 30 are 33…57.
    expect(answer.value.offset).toBe(9)
    const page = call('conversations.query', { fileId, sort: 'first', model: 'gpt-4o', offset: 9, limit: 1 })
    expect(page.ok && page.value.conversations[0]?.conversation_id).toBe(variedTraits(30).id)
    expect(call('conversations.position', { fileId: 'f999', atUnix: 0 })).toMatchObject({
      ok: false,
      reason: 'unknown_file',
    })
    // A page far down, without counts: the rows the counted query gives there.
    const far = call('conversations.page', { fileId, sort: 'first', model: 'gpt-4o', offset: 9, limit: 5 })
    const counted = call('conversations.query', {
      fileId,
      sort: 'first',
      model: 'gpt-4o',
      offset: 9,
      limit: 5,
    })
    if (!far.ok || !counted.ok) throw new Error('a page was refused')
    expect(far.value.conversations.map((c) => c.conversation_id)).toEqual(
      counted.value.conversations.map((c) => c.conversation_id),
    )
    expect(far.value.conversations).toHaveLength(5)
    expect(far.value).not.toHaveProperty('total')
    expect(contract['conversations.page'].input.safeParse({ fileId, offset: 0, limit: 0 }).success).toBe(
      false,
    )
    const input = contract['conversations.position'].input
    expect(input.safeParse({ fileId }).success).toBe(false)
    expect(input.safeParse({ fileId, atUnix: 1.5 }).success).toBe(false)
    expect(input.safeParse({ fileId, atUnix: 0, sort: 'middle' }).success).toBe(false)
  })
})
