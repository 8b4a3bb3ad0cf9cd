// One odd row never breaks a screen: every read operation on every kind of odd row answers with a
// value its contract accepts and a worker can post (or a typed failure), and never throws.
import { join } from 'node:path'
import { setImmediate as nextTurn } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import { FileRegistry } from '../../../src/main/api/file-registry'
import { dispatch } from '../../../src/main/api/dispatch'
import { createHandlers } from '../../../src/main/api/handlers'
import { channels, contract, type Channel } from '../../../src/shared/api'
import { ChatRepository } from '../../../src/main/db/repository'
import { tempDir } from '../../helpers/files'
import { allOddRowsFile, ODD_ROWS, oddRowFile } from '../../helpers/odd-rows'

/** Inputs for the read operations; one a test does not know gets `{ fileId }` and may be refused. */
function inputs(fileId: string): Partial<Record<Channel, unknown[]>> {
  const conversation = { fileId, conversationId: 'odd' }
  return {
    'files.list': [{}],
    'files.info': [{ fileId }],
    'conversations.list': [
      { fileId, limit: 1 },
      { fileId, limit: 500, sort: 'first' },
      { fileId, limit: 500, filter: 'odd' },
    ],
    'conversations.stats': [{ fileId, conversationIds: ['odd', 'plain'] }],
    'events.page': [
      { ...conversation, limit: 1, contentChars: 5 },
      { ...conversation, limit: 100, contentChars: 100_000 },
    ],
    'events.get': [{ ...conversation, eventId: 'o2' }],
    'model.view': [{ ...conversation, systemPrompt: 'S', userMessage: 'U' }],
    'search.status': [{ fileId }],
    'search.query': [
      { fileId, text: 'odd' },
      { fileId, text: 'row', conversationId: 'odd' },
    ],
    'search.find': [
      { fileId, text: 'odd' },
      { fileId, text: 'row', order: 'relevance' },
      { fileId, text: 'a\u0000b' },
    ],
    'conversations.query': [{ fileId }, { fileId, text: 'odd', hasProblems: true, sort: 'first' }],
    'privacy.scan': [{ fileId, pii: true }],
    'cleanup.plan': [{ fileId }],
    'delete.plan': [{ fileId, conversationIds: ['odd'] }],
    'lint.run': [{ fileId }],
    'storage.stats': [{ fileId }],
    'export.conversations': (['md', 'json', 'jsonl'] as const).map((format) => ({
      fileId,
      conversationIds: ['odd', 'plain'],
      format,
    })),
  }
}

const READ_CHANNELS = channels.filter((c) => !contract[c].write)

describe('conversations whose id is not stored as text', () => {
  it.each([false, true])('are listed and open by their text (untyped table: %s)', (untyped) => {
    const files = new FileRegistry('read')
    const { fileId } = files.add(allOddRowsFile(untyped))
    const handlers = createHandlers(files, { dataDir: tempDir(), searchDir: join(tempDir(), 'search') })
    const listed = dispatch(handlers, 'conversations.list', { fileId, limit: 500 }, false) as {
      output: { value: { conversations: { conversation_id: string; event_count: number }[] } }
    }
    const conversations = listed.output.value.conversations
    expect(conversations.length).toBeGreaterThan(2)
    for (const { conversation_id, event_count } of conversations) {
      const page = dispatch(
        handlers,
        'events.page',
        { fileId, conversationId: conversation_id, limit: 100, contentChars: 100 },
        false,
      ) as { output: { value: { events: unknown[] } } }
      expect(page.output.value.events, conversation_id).toHaveLength(event_count)
    }
    files.closeAll()
  })
})

describe('ids of any length', () => {
  it('a conversation and an event with 10,000-character ids are listed, opened and planned for deletion', () => {
    const long = 'c'.repeat(10_000)
    const path = join(tempDir(), 'long.db')
    const repo = ChatRepository.open(path, { mode: 'create' })
    repo.addEvent({ id: 'e'.repeat(10_000), conversation_id: long, type: 'user_message', content: 'hi' })
    repo.close()
    const files = new FileRegistry('read')
    const { fileId } = files.add(path)
    const handlers = createHandlers(files, { dataDir: tempDir(), searchDir: join(tempDir(), 'search') })
    const call = (channel: Channel, input: unknown) => dispatch(handlers, channel, input, false)
    expect(call('conversations.list', { fileId, limit: 10 })).toMatchObject({
      kind: 'ok',
      output: { value: { conversations: [{ conversation_id: long }] } },
    })
    expect(call('events.page', { fileId, conversationId: long, limit: 10, contentChars: 100 })).toMatchObject(
      {
        kind: 'ok',
        output: { ok: true, value: { events: [{ content: 'hi' }] } },
      },
    )
    expect(call('events.get', { fileId, conversationId: long, eventId: 'e'.repeat(10_000) })).toMatchObject({
      kind: 'ok',
      output: { ok: true },
    })
    expect(call('delete.plan', { fileId, conversationIds: [long] })).toMatchObject({
      kind: 'ok',
      output: { ok: true, value: { rows: 1 } },
    })
    files.closeAll()
  })
})

describe('every read operation on every kind of odd row', () => {
  it.each(ODD_ROWS.map((o) => [o.kind, o] as const))('%s', async (_kind, odd) => {
    const files = new FileRegistry('read')
    const { fileId } = files.add(oddRowFile(odd))
    const handlers = createHandlers(files, { dataDir: tempDir(), searchDir: join(tempDir(), 'search') })
    const broken: string[] = []
    const callAll = () => {
      for (const channel of READ_CHANNELS) {
        for (const input of inputs(fileId)[channel] ?? [{ fileId }]) {
          const label = `${channel} ${JSON.stringify(input)}`
          try {
            const result = dispatch(handlers, channel, input, false)
            // A channel this test gives inputs for must accept them; others may refuse `{ fileId }`.
            if (result.kind !== 'ok') {
              if (inputs(fileId)[channel]) broken.push(`${label}: ${result.kind} ${result.message}`)
              continue
            }
            const checked = contract[channel].output.safeParse(result.output)
            if (!checked.success) broken.push(`${label}: ${checked.error.message.slice(0, 300)}`)
            structuredClone(result.output) // what a worker's postMessage does with it
            JSON.stringify(result.output) // what the HTTP transport does
          } catch (error) {
            broken.push(`${label}: threw ${(error as Error).message}`)
          }
        }
      }
    }
    callAll()
    // The search index is built between calls: let it finish, then ask again.
    for (let i = 0; i < 100; i++) await nextTurn()
    callAll()
    expect(broken).toEqual([])

    // Every page of the list, through its cursor, as the UI asks for them.
    let cursor: unknown = null
    const seen: string[] = []
    for (let page = 0; page < 10; page++) {
      const result = dispatch(handlers, 'conversations.list', { fileId, limit: 1, cursor }, false)
      expect(result.kind, JSON.stringify(result)).toBe('ok')
      const output = (
        result as {
          output: { ok: true; value: { conversations: { conversation_id: string }[]; next: unknown } }
        }
      ).output
      seen.push(...output.value.conversations.map((c) => c.conversation_id))
      cursor = output.value.next
      if (cursor === null) break
    }
    expect(seen).toEqual(expect.arrayContaining(['odd', 'plain']))

    // Every page of the odd conversation, one event at a time: it ends, and shows the odd row.
    let afterSeq: number | null = null
    const events: string[] = []
    for (let page = 0; page < 10 && (page === 0 || afterSeq !== null); page++) {
      const result = dispatch(
        handlers,
        'events.page',
        { fileId, conversationId: 'odd', afterSeq, limit: 1, contentChars: 100 },
        false,
      )
      const output = (
        result as { output: { ok: true; value: { events: { id: string }[]; nextAfterSeq: number | null } } }
      ).output
      events.push(...output.value.events.map((e) => e.id))
      afterSeq = output.value.nextAfterSeq
    }
    expect(afterSeq).toBeNull()
    expect(new Set(events).size).toBe(events.length)
    files.closeAll()
  })
})
