import type { IpcMainInvokeEvent } from 'electron'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { channels } from '../../../src/shared/api'
import { FileRegistry } from '../../../src/main/api/file-registry'
import { dispatch } from '../../../src/main/api/dispatch'
import { createHandlers } from '../../../src/main/api/handlers'
import { registerIpc, senderCheck } from '../../../src/main/ipc/register-ipc'
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

const event = (url: string, contentsId = 1, parent: object | null = null) =>
  ({ sender: { id: contentsId }, senderFrame: { url, parent } }) as unknown as IpcMainInvokeEvent

function setUp() {
  const files = new FileRegistry()
  const { fileId } = files.add(demoFile())
  const ipc = fakeIpcMain()
  const opened: string[] = []
  const handlers = createHandlers(files, {
    snapshotDir: join(tempDir(), 's'),
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
      ok: true,
      value: { conversations: [{ conversation_id: 'demo-app-flow' }, {}] },
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
      await expect(ipc.invoke('conversations.list', sender, input)).rejects.toThrow(
        /did not come from the app's window/,
      )
    }
  })

  it('refuses bad input with a message that says what is wrong', async () => {
    const { ipc, fileId } = setUp()
    const ours = event('app://renderer/index.html')
    await expect(ipc.invoke('conversations.list', ours, { fileId, limit: 0 })).rejects.toThrow(
      /Invalid input for "conversations.list".*limit/s,
    )
    await expect(
      ipc.invoke('events.page', ours, {
        fileId: '../etc/passwd',
        conversationId: 'x',
        limit: 1,
        contentChars: 1,
      }),
    ).rejects.toThrow(/fileId/)
    await expect(ipc.invoke('app.openDropped', ours, 42)).rejects.toThrow(
      /Invalid input for "app.openDropped"/,
    )
  })

  it('refuses writes unless enabled', async () => {
    const { ipc, fileId } = setUp()
    const plan = { conversationId: null, maxRowid: 0, groups: [], chunks: 0, bytes: 0 }
    await expect(ipc.invoke('cleanup.apply', event('app://renderer/'), { fileId, plan })).rejects.toThrow(
      /changes the file, and writing is not enabled/,
    )
  })

  it('hands a dropped file`s path to the shell', async () => {
    const { ipc, opened } = setUp()
    await ipc.invoke('app.openDropped', event('app://renderer/'), '/tmp/x.db')
    expect(opened).toEqual(['/tmp/x.db'])
  })
})

describe('writes through IPC', () => {
  function withConfirmation(answer: boolean | undefined) {
    const files = new FileRegistry('write')
    const { fileId } = files.add(demoFile())
    const ipc = fakeIpcMain()
    const asked: string[] = []
    const handlers = createHandlers(files, {
      snapshotDir: join(tempDir(), 's'),
      searchDir: join(tempDir(), 'search'),
    })
    registerIpc(ipc, (channel, input) => dispatch(handlers, channel, input, true), {
      isTrustedSender: () => true,
      confirmWrite:
        answer === undefined
          ? undefined
          : async (_event, channel) => {
              asked.push(channel)
              return answer
            },
    })
    return { ipc, fileId, asked }
  }

  it('are refused without a confirmation step, cancelled when the user says no, and done when yes', async () => {
    const ours = event('app://renderer/')
    const run = async (answer: boolean | undefined) => {
      const { ipc, fileId, asked } = withConfirmation(answer)
      const plan = (
        (await ipc.invoke('cleanup.plan', ours, { fileId, minAgeSeconds: 0 })) as { value: unknown }
      ).value
      return { result: ipc.invoke('cleanup.apply', ours, { fileId, plan }), asked }
    }
    await expect((await run(undefined)).result).rejects.toThrow(/writing is not enabled/)
    const no = await run(false)
    await expect(no.result).rejects.toThrow('Cancelled: nothing was changed.')
    expect(no.asked).toEqual(['cleanup.apply'])
    await expect((await run(true)).result).resolves.toMatchObject({ ok: true, value: { compacted: 1 } })
  })
})
