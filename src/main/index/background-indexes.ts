// One index per open file (search or derived), built and kept current in small steps between
// requests: the process stays responsive while a big file is indexed, and answers come from what is
// indexed so far, with its status.
import type { FileRegistry } from '../api/file-registry'
import { fileIdentity, type FileIdentity } from '../db/open-database'

/** What an index of one file does, for this to step it. */
export interface SteppedIndex {
  readonly path: string
  readonly identity: FileIdentity
  /** Up to `budgetMs` of work; true when current. */
  step(budgetMs: number): boolean
  /** Whether another connection committed since it last looked. */
  noticeChanges(): boolean
  close(): void
}

interface Entry<T> {
  index: T
  running: boolean
  /** Closed (forgotten, or its file replaced): its steps stop. */
  closed?: boolean
}

/** Work per step: short enough that the process stays responsive while a big file is indexed. */
export const STEP_MS = 20

/** Whether the file at the index's path is still the one it indexes (renamed over: it is not). */
function indexesFileAtPath(index: SteppedIndex): boolean {
  try {
    const now = fileIdentity(index.path)
    return now.dev === index.identity.dev && now.ino === index.identity.ino
  } catch {
    return false
  }
}

export class BackgroundIndexes<T extends SteppedIndex> {
  private readonly entries = new Map<string, Entry<T>>()

  constructor(
    private readonly files: FileRegistry,
    /** Opens the index of the file at `path` (made or reused). */
    private readonly open: (path: string) => T,
    /** What it is, for the log ("search index"). */
    private readonly kind: string,
  ) {}

  /** The file's index, stepped in the background until current; undefined for a file not open. */
  get(fileId: string): T | undefined {
    const ref = this.files.ref(fileId)
    if (!ref) return undefined
    let entry = this.entries.get(fileId)
    if (entry && !indexesFileAtPath(entry.index)) {
      this.forget(fileId)
      entry = undefined
    }
    if (!entry) {
      entry = { index: this.open(ref.path), running: false }
      this.entries.set(fileId, entry)
    }
    if (entry.index.noticeChanges() || !entry.running) this.run(entry)
    return entry.index
  }

  /** Closes a file's index (before it is deleted: it may hold text that was removed for good). */
  forget(fileId: string): void {
    const entry = this.entries.get(fileId)
    if (!entry) return
    entry.closed = true
    entry.index.close()
    this.entries.delete(fileId)
  }

  closeAll(): void {
    for (const fileId of [...this.entries.keys()]) this.forget(fileId)
  }

  private run(entry: Entry<T>): void {
    if (entry.running) return
    entry.running = true
    // A step runs outside any request: an exception here would end the thread that serves every
    // file (the worker). It stops this index instead; the next request for it starts it again.
    const tick = () => {
      if (entry.closed) return
      let done = true
      try {
        done = entry.index.step(STEP_MS)
      } catch (error) {
        console.error(`${this.kind} of ${entry.index.path}: ${(error as Error).message}`)
      }
      if (done) entry.running = false
      else setImmediate(tick)
    }
    setImmediate(tick)
  }
}
