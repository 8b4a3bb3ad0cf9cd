import type { IpcMainInvokeEvent } from 'electron'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { channels } from '../../../src/shared/api'
import { FileRegistry } from '../../../src/main/api/file-registry'
import { dispatch } from '../../../src/main/api/dispatch'
import { createHandlers } from '../../../src/main/api/handlers'
import { CANCELLED, registerIpc, senderCheck } from '../../../src/main/ipc/register-ipc'
import { demoFile } from '../../helpers/demo'
import { tempDir } from '../../helpers/files'

type Listener = (event: IpcMainInvokeEvent, input: unknown) => unknown

/** A minimal in-memory ipcMain: remembers handlers, and invokes them as Electron would. */
function fakeIpcMain() {
  const handlers = new Map<string, Listener>()
  return {
    handle(channel: string, listener: Listener) {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`)
      handlers.set(channel, listener)
    },
    invoke: async (channel: string, event: IpcMainInvokeEvent, input: unknown) =>
      handlers.get(channel)!(event, input),
    channels: () => [...handlers.keys()],
  }
}

/** A refusal, as the value IPC resolves to (never a rejection: see register-ipc.ts). */
const refused = (message: RegExp) => ({ kind: 'error', message: expect.stringMatching(message) })

const event = (url: string, contentsId = 1, parent: object | null = null) =>
  ({ sender: { id: contentsId }, senderFrame: { url, parent } }) as unknown as IpcMainInvokeEvent

function setUp() {
  const files = new FileRegistry()
  const { fileId } = files.add(demoFile())
  const ipc = fakeIpcMain()
  const opened: string[] = []
  const handlers = createHandlers(files, {
    dataDir: tempDir(),
    searchDir: join(tempDir(), 'search'),
  })
  registerIpc(ipc, (channel, input) => dispatch(handlers, channel, input, false), {
    isTrustedSender: senderCheck((id) => id === 1, ['app://renderer']),
    shell: { 'app.openDropped': { input: z.string().min(1), handle: (_e, path) => opened.push(path) } },
  })
  return { ipc, fileId, opened }
}

describe('IPC registration', () => {
  it('registers every contract channel, and the shell`s, once', () => {
    const { ipc } = setUp()
    expect(ipc.channels().sort()).toEqual([...channels, 'app.openDropped'].sort())
  })

  it('dispatches valid input from our window to the handler', async () => {
    const { ipc, fileId } = setUp()
    const result = await ipc.invoke('conversations.list', event('app://renderer/index.html?file=f1'), {
      fileId,
      limit: 2,
    })
    expect(result).toMatchObject({
      kind: 'ok',
      output: { ok: true, value: { conversations: [{ conversation_id: 'demo-app-flow' }, {}] } },
    })
  })

  it('refuses senders that are not our window`s top frame at our origin', async () => {
    const { ipc, fileId } = setUp()
    const input = { fileId, limit: 2 }
    for (const sender of [
      event('https://evil.example/', 1),
      event('app://renderer/index.html', 2),
      event('app://renderer/index.html', 1, {}),
      event('file:///etc/passwd', 1),
      event('not a url', 1),
    ]) {
      expect(await ipc.invoke('conversations.list', sender, input)).toEqual(
        refused(/did not come from the app's window/),
      )
    }
  })

  it('refuses bad input with a message that says what is wrong', async () => {
    const { ipc, fileId } = setUp()
    const ours = event('app://renderer/index.html')
    expect(await ipc.invoke('conversations.list', ours, { fileId, limit: 0 })).toEqual(
      refused(/Invalid input for "conversations.list".*limit/s),
    )
    expect(
      await ipc.invoke('events.page', ours, {
        fileId: '../etc/passwd',
        conversationId: 'x',
        limit: 1,
        contentChars: 1,
      }),
    ).toEqual(refused(/fileId/))
    expect(await ipc.invoke('app.openDropped', ours, 42)).toEqual(
      refused(/Invalid input for "app.openDropped"/),
    )
  })

  it('refuses writes unless enabled', async () => {
    const { ipc, fileId } = setUp()
    const plan = { conversationId: null, maxRowid: 0, groups: [], chunks: 0, bytes: 0 }
    expect(await ipc.invoke('cleanup.apply', event('app://renderer/'), { fileId, plan })).toEqual({
      kind: 'ok',
      output: {
        ok: false,
        reason: 'writes_disabled',
        message: expect.stringMatching(/writing is not enabled/),
      },
    })
  })

  it('hands a dropped file`s path to the shell', async () => {
    const { ipc, opened } = setUp()
    expect(await ipc.invoke('app.openDropped', event('app://renderer/'), '/tmp/x.db')).toMatchObject({
      kind: 'ok',
    })
    expect(opened).toEqual(['/tmp/x.db'])
  })
})

describe('writes through IPC', () => {
  function withConfirmation(answer: boolean | undefined) {
    const files = new FileRegistry('write')
    // Written an hour ago: its pending reply is done streaming.
    const { fileId } = files.add(demoFile(new Date(Date.now() - 3_600_000)))
    const ipc = fakeIpcMain()
    const asked: string[] = []
    const handlers = createHandlers(files, {
      dataDir: tempDir(),
      searchDir: join(tempDir(), 'search'),
    })
    registerIpc(ipc, (channel, input) => dispatch(handlers, channel, input, true), {
      isTrustedSender: () => true,
      confirmWrite:
        answer === undefined
          ? undefined
          : async (_event, channel) => {
              asked.push(channel)
              return answer ? { go: true } : { go: false, failure: CANCELLED }
            },
    })
    return { ipc, fileId, asked }
  }

  it('are refused without a confirmation step, cancelled when the user says no, and done when yes', async () => {
    const ours = event('app://renderer/')
    const run = async (answer: boolean | undefined) => {
      const { ipc, fileId, asked } = withConfirmation(answer)
      const { planId, replies, chunks } = (
        (await ipc.invoke('cleanup.plan', ours, { fileId })) as {
          output: { value: { planId: string; replies: number; chunks: number } }
        }
      ).output.value
      return { result: ipc.invoke('cleanup.apply', ours, { fileId, planId, replies, chunks }), asked }
    }
    await expect((await run(undefined)).result).resolves.toMatchObject({
      output: { ok: false, reason: 'writes_disabled' },
    })
    const no = await run(false)
    await expect(no.result).resolves.toEqual({
      kind: 'ok',
      output: { ok: false, reason: 'cancelled', message: 'Cancelled: nothing was changed.' },
    })
    expect(no.asked).toEqual(['cleanup.apply'])
    await expect((await run(true)).result).resolves.toMatchObject({
      kind: 'ok',
      output: { ok: true, value: { compacted: 1 } },
    })
  })
})

describe('failures over IPC', () => {
  it('come back as values, even when a handler or the confirmation throws', async () => {
    const ipc = fakeIpcMain()
    registerIpc(
      ipc,
      async () => {
        throw new Error('The database worker stopped: exit code 1')
      },
      {
        isTrustedSender: () => true,
        confirmWrite: async () => {
          throw new Error('no dialog')
        },
        shell: {
          'app.openDropped': {
            input: z.string(),
            handle: () => {
              throw new Error('could not open')
            },
          },
        },
      },
    )
    const ours = event('app://renderer/')
    expect(await ipc.invoke('files.list', ours, {})).toEqual({
      kind: 'error',
      message: 'The database worker stopped: exit code 1',
    })
    expect(await ipc.invoke('undo.apply', ours, {})).toEqual({ kind: 'error', message: 'no dialog' })
    expect(await ipc.invoke('app.openDropped', ours, '/x.db')).toEqual({
      kind: 'error',
      message: 'could not open',
    })
  })
})
