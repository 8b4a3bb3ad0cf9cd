// The shell's pieces with fakes for windows, dialogs and the app: what a user would see on a machine
// with a display (Electron itself cannot run here).
import { describe, expect, it, vi } from 'vitest'
import type { FileRef } from '../../src/shared/api'
import { CANCELLED } from '../../src/main/ipc/register-ipc'
import { guardQuit, InFlight } from '../../src/main/quit-guard'
import { WindowRegistry, type DatabaseWindow } from '../../src/main/window-registry'
import { oneAtATime, writeGate } from '../../src/main/write-gate'

const ref = (path: string, n = 1): FileRef => ({ fileId: `f${n}`, path, name: path.split('/').pop()! })

function fakeWindows() {
  let nextId = 1
  const made: (DatabaseWindow & { close(): void; sent: unknown[]; focused: number })[] = []
  const create = () => {
    const closed: (() => void)[] = []
    const window = {
      id: nextId++,
      focused: 0,
      sent: [] as unknown[],
      focus() {
        window.focused++
      },
      send: (channel: string, payload: unknown) => window.sent.push([channel, payload]),
      onClosed: (listener: () => void) => closed.push(listener),
      close: () => closed.forEach((l) => l()),
    }
    made.push(window)
    return window
  }
  return { made, create }
}

function registry(options: { addFile?: (path: string) => Promise<FileRef>; watchFails?: boolean } = {}) {
  const windows = fakeWindows()
  const watching = new Map<string, () => void>()
  const opened: string[] = []
  const warnings: string[] = []
  let n = 0
  const reg = new WindowRegistry({
    addFile: options.addFile ?? (async (path) => ref(path, ++n)),
    watch: (path, onChange) => {
      if (options.watchFails) throw new Error('ENOSPC: System limit for number of file watchers reached')
      watching.set(path, onChange)
      return () => watching.delete(path)
    },
    createWindow: windows.create,
    opened: (r) => {
      opened.push(r.path)
      if (r.path.includes('readonly-config')) throw new Error('EACCES: recent-files.json')
    },
    warn: (message) => warnings.push(message),
  })
  return { reg, windows, watching, opened, warnings }
}

describe('the window registry', () => {
  it('makes one window per file, and focuses it when the file is opened again', async () => {
    const { reg, windows, opened } = registry()
    const first = (await reg.open('/h/a.db'))!
    expect(await reg.open('/h/x/../a.db')).toBe(first)
    expect(windows.made).toHaveLength(1)
    expect(first).toMatchObject({ focused: 1 })
    expect(opened).toEqual(['/h/a.db'])
    expect(reg.has(first.id)).toBe(true)
    expect(reg.fileOf(first.id)).toMatchObject({ path: '/h/a.db' })
  })

  it('makes one window for two quick opens of a file still opening', async () => {
    let release: () => void = () => undefined
    const slow = new Promise<void>((done) => (release = done))
    const { reg, windows } = registry({
      addFile: async (path) => {
        await slow
        return ref(path)
      },
    })
    const a = reg.open('/h/a.db')
    const b = reg.open('/h/a.db')
    release()
    expect(await a).toBe(await b)
    expect(windows.made).toHaveLength(1)
  })

  it('reports a failed open once, to the first of two quick opens', async () => {
    const { reg, windows } = registry({
      addFile: async () => {
        await new Promise((done) => setTimeout(done, 10))
        throw new Error('x.db is not a database')
      },
    })
    const first = reg.open('/h/x.db')
    const second = reg.open('/h/x.db')
    await expect(first).rejects.toThrow('not a database')
    await expect(second).resolves.toBeUndefined()
    expect(windows.made).toHaveLength(0)
  })

  it('tells the window when its file changes, and stops watching when it closes', async () => {
    const { reg, watching } = registry()
    const window = (await reg.open('/h/a.db')) as unknown as { sent: unknown[]; close(): void; id: number }
    watching.get('/h/a.db')!()
    expect(window.sent).toEqual([['files.changed', { fileId: 'f1' }]])
    window.close()
    expect(watching.size).toBe(0)
    expect(reg.size).toBe(0)
    expect(reg.has(window.id)).toBe(false)
    expect(reg.focusAny()).toBe(false)
  })

  it('makes no window when the file cannot be opened or watched, and keeps one when only recent files fail', async () => {
    const bad = registry({ addFile: async () => Promise.reject(new Error('x.db is not a database')) })
    await expect(bad.reg.open('/h/x.db')).rejects.toThrow('not a database')
    expect(bad.windows.made).toHaveLength(0)
    const noWatch = registry({ watchFails: true })
    await expect(noWatch.reg.open('/h/a.db')).rejects.toThrow('ENOSPC')
    expect(noWatch.windows.made).toHaveLength(0)
    // A failure after the window exists (the recent-files list could not be written) is only a warning.
    const recentFails = registry()
    await recentFails.reg.open('/readonly-config/a.db')
    expect(recentFails.reg.size).toBe(1)
    expect(recentFails.warnings).toEqual([expect.stringContaining('EACCES')])
  })
})

describe('the write gate', () => {
  const files = [ref('/h/a.db')]
  // Any valid write will do: the undo of a change, whose input is the simplest.
  const input = { fileId: 'f1', entryId: 1 }

  it('asks one question at a time, and asks to switch a file to writing only once', async () => {
    const asked: string[] = []
    let answer: (yes: boolean) => void = () => undefined
    const gate = writeGate<string>({
      files: () => files,
      makeWritable: async () => undefined,
      ask: (_window, question) => {
        asked.push(question.message)
        return new Promise((done) => (answer = done))
      },
    })
    const first = gate('w1', 'undo.apply', input)
    const second = gate('w1', 'undo.apply', input)
    await vi.waitFor(() => expect(asked).toEqual(['Open a.db for writing?']))
    answer(true)
    await vi.waitFor(() => expect(asked).toHaveLength(2))
    answer(true)
    expect(await first).toEqual({ go: true })
    // The second write waited for the first one's dialogs, and does not ask to switch again.
    await vi.waitFor(() => expect(asked).toHaveLength(3))
    expect(asked[2]).toBe(asked[1])
    answer(false)
    expect(await second).toEqual({ go: false, failure: CANCELLED })
  })

  it('returns a failure, not an exception, when the file cannot be switched to writing', async () => {
    const gate = writeGate<string>({
      files: () => files,
      makeWritable: async () => Promise.reject(new Error('database is locked')),
      ask: async () => true,
    })
    expect(await gate(undefined, 'undo.apply', input)).toEqual({
      go: false,
      failure: {
        ok: false,
        reason: 'read_only',
        message: 'a.db could not be opened for writing: database is locked',
      },
    })
  })

  it('runs queued tasks in order, and a failed one does not stop the next', async () => {
    const queue = oneAtATime()
    const order: number[] = []
    const a = queue(async () => {
      await new Promise((done) => setTimeout(done, 20))
      order.push(1)
      throw new Error('first failed')
    })
    const b = queue(async () => order.push(2))
    await expect(a).rejects.toThrow('first failed')
    await b
    expect(order).toEqual([1, 2])
  })
})

describe('quitting during a write', () => {
  function fakeApp() {
    let listener: ((event: { preventDefault(): void }) => void) | undefined
    const app = {
      quits: 0,
      on: (_name: string, l: typeof listener) => (listener = l),
      quit: () => app.quits++,
      beforeQuit: () => {
        const event = { prevented: false, preventDefault: () => (event.prevented = true) }
        listener!(event)
        return event.prevented
      },
    }
    return app
  }

  it('quits at once when nothing is being written', () => {
    const app = fakeApp()
    guardQuit(app as never, new InFlight(), vi.fn())
    expect(app.beforeQuit()).toBe(false)
  })

  it('waits for the write in flight, says so, then quits', async () => {
    const app = fakeApp()
    const writes = new InFlight()
    const tell = vi.fn()
    guardQuit(app as never, writes, tell)
    let finish: () => void = () => undefined
    const write = writes.track(() => new Promise<void>((done) => (finish = done)))
    expect(app.beforeQuit()).toBe(true)
    expect(app.beforeQuit()).toBe(true) // a second Cmd+Q while waiting changes nothing
    expect(tell).toHaveBeenCalledTimes(1)
    expect(tell.mock.calls[0]![0]).toMatch(/before quitting/)
    expect(app.quits).toBe(0)
    finish()
    await write
    await vi.waitFor(() => expect(app.quits).toBe(1))
  })

  it('waits no longer than its bound', async () => {
    const app = fakeApp()
    const writes = new InFlight()
    guardQuit(app as never, writes, vi.fn(), 30)
    void writes.track(() => new Promise(() => undefined)) // never ends
    expect(app.beforeQuit()).toBe(true)
    await vi.waitFor(() => expect(app.quits).toBe(1))
    // The quit that follows goes through, though the write is still running.
    expect(app.beforeQuit()).toBe(false)
  })
})
