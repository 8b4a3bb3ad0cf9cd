// Runs the handlers in a worker thread and talks to it; transports call `dispatch` as they would the
// in-process dispatcher.
import { Worker } from 'node:worker_threads'
import type { FileRef } from '../../shared/api'
import type { OpenMode } from '../db/open-database'
import type { Dispatched } from './dispatch'

export interface WorkerData {
  mode: OpenMode
  snapshotDir: string
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

export class HandlerHost {
  private readonly worker: Worker
  private readonly pending = new Map<number, Pending>()
  private readonly refs: FileRef[] = []
  private nextId = 1
  private failure: Error | undefined

  /** `workerPath` is the built handler-worker.js (tests start the source through a loader, with `argv`). */
  constructor(workerPath: string, data: WorkerData, argv: string[] = []) {
    this.worker = new Worker(workerPath, { workerData: data, argv })
    this.worker.on('message', (reply: WorkerReply) => {
      this.pending.get(reply.id)?.resolve(reply)
      this.pending.delete(reply.id)
    })
    const fail = (error: Error) => {
      this.failure = new Error(`The database worker stopped: ${error.message}`)
      for (const p of this.pending.values()) p.reject(this.failure)
      this.pending.clear()
    }
    this.worker.on('error', fail)
    this.worker.on('exit', (code) => code !== 0 && fail(new Error(`exit code ${code}`)))
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
