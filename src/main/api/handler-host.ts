// Runs the handlers in a worker thread and talks to it; transports call `dispatch` as they would the
// in-process dispatcher.
import { Worker } from 'node:worker_threads'
import type { FileRef } from '../../shared/api'
import type { OpenMode } from '../db/open-database'
import type { Dispatched } from './dispatch'

export interface WorkerData {
  mode: OpenMode
  dataDir: string
  searchDir: string
  allowWrite: boolean
}

export type WorkerRequest =
  | { id: number; type: 'add'; path: string }
  | { id: number; type: 'writable'; fileId: string }
  | { id: number; type: 'call'; channel: string; input: unknown }
  | { id: number; type: 'close' }

export type WorkerReply = { id: number } & (Dispatched | { kind: 'error'; message: string })

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never

type Pending = { resolve(reply: WorkerReply): void; reject(error: Error): void }

/** What a transport needs: a request in, a dispatched result out. */
export type Dispatcher = (channel: string, input: unknown) => Promise<Dispatched> | Dispatched

/** Restarts in a row after which the host gives up (a worker that dies at once would loop). */
const MAX_RESTARTS = 5

export class HandlerHost {
  private worker: Worker
  private readonly pending = new Map<number, Pending>()
  private readonly refs: FileRef[] = []
  private readonly writable = new Set<string>()
  private nextId = 1
  private failure: Error | undefined
  private restarts = 0
  private closing = false

  /** `workerPath` is the built handler-worker.js (tests start the source through a loader, with `argv`). */
  constructor(
    private readonly workerPath: string,
    private readonly data: WorkerData,
    private readonly argv: string[] = [],
  ) {
    this.worker = this.start()
  }

  /**
   * A worker that stopped (an exception outside any call, out of memory) fails only the calls it was
   * running: a new one takes over with the same files, so one bad row never leaves every later call,
   * even files.list, answering 500 until the app restarts.
   */
  private start(): Worker {
    const worker = new Worker(this.workerPath, { workerData: this.data, argv: this.argv })
    worker.on('message', (reply: WorkerReply) => {
      this.restarts = 0
      this.pending.get(reply.id)?.resolve(reply)
      this.pending.delete(reply.id)
    })
    const fail = (error: Error) => {
      if (this.worker !== worker || this.closing) return
      const failure = new Error(`The database worker stopped (${error.message}); it was restarted.`)
      for (const p of this.pending.values()) p.reject(failure)
      this.pending.clear()
      if (++this.restarts > MAX_RESTARTS) {
        this.failure = new Error(`The database worker keeps stopping: ${error.message}`)
        return
      }
      this.worker = this.start()
      // The registry hands out ids in order, so adding the same paths again gives the same ids.
      for (const ref of this.refs) this.send({ type: 'add', path: ref.path }).catch(() => undefined)
      for (const fileId of this.writable) this.send({ type: 'writable', fileId }).catch(() => undefined)
    }
    worker.on('error', fail)
    worker.on('exit', (code) => code !== 0 && fail(new Error(`exit code ${code}`)))
    return worker
  }

  /** Registers a file with the handlers; the same path keeps its id. */
  async add(path: string): Promise<FileRef> {
    const ref = (await this.expect({ type: 'add', path })) as FileRef
    if (!this.refs.some((r) => r.fileId === ref.fileId)) this.refs.push(ref)
    return ref
  }

  /** Reopens a file for writing, once the user agreed. */
  async makeWritable(fileId: string): Promise<void> {
    await this.expect({ type: 'writable', fileId })
    this.writable.add(fileId)
  }

  files(): FileRef[] {
    return [...this.refs]
  }

  readonly dispatch: Dispatcher = async (channel, input) => {
    const reply = await this.send({ type: 'call', channel, input })
    if (reply.kind === 'error') throw new Error(reply.message)
    const { id: _id, ...dispatched } = reply
    return dispatched as Dispatched
  }

  async close(): Promise<void> {
    if (!this.failure) await this.send({ type: 'close' }).catch(() => undefined)
    this.closing = true
    await this.worker.terminate()
  }

  private async expect(request: WithoutId<WorkerRequest>): Promise<unknown> {
    const reply = await this.send(request)
    if (reply.kind === 'ok') return reply.output
    throw new Error(reply.message)
  }

  private send(request: WithoutId<WorkerRequest>): Promise<WorkerReply> {
    if (this.failure) return Promise.reject(this.failure)
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      this.worker.postMessage({ ...request, id })
    })
  }
}
