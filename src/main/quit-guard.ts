// Quitting while a change is being written: before-quit waits, for a bounded time, for the writes in
// flight, says so, then quits. (will-quit cannot wait: Electron does not await its listeners.)
import type { App } from 'electron'

/** Counts calls in flight, and resolves waiters when none is left. */
export class InFlight {
  private count = 0
  private waiters: (() => void)[] = []

  get busy(): boolean {
    return this.count > 0
  }

  async track<T>(work: () => Promise<T>): Promise<T> {
    this.count++
    try {
      return await work()
    } finally {
      if (--this.count === 0) for (const wake of this.waiters.splice(0)) wake()
    }
  }

  /** True once idle, false if still busy after `timeoutMs`. */
  idle(timeoutMs: number): Promise<boolean> {
    if (!this.busy) return Promise.resolve(true)
    return new Promise((done) => {
      const timer = setTimeout(() => done(false), timeoutMs)
      this.waiters.push(() => {
        clearTimeout(timer)
        done(true)
      })
    })
  }
}

export const QUIT_WAIT_MS = 10_000

export function guardQuit(
  app: Pick<App, 'on' | 'quit'>,
  writes: InFlight,
  tell: (message: string, detail: string) => void,
  timeoutMs = QUIT_WAIT_MS,
): void {
  let waiting = false
  let waited = false
  app.on('before-quit', (event) => {
    // After the wait, quit even if a write is still running (bounded: the user asked to quit).
    if (!writes.busy || waited) return
    event.preventDefault()
    if (waiting) return // a second Cmd+Q while we wait: the first one quits
    waiting = true
    tell(
      'Finishing a change before quitting…',
      `The app quits as soon as the change being written is done (at most ${timeoutMs / 1000} s). ` +
        'If it takes longer, SQLite rolls back the unfinished transaction: the file stays as it was before it.',
    )
    void writes.idle(timeoutMs).then(() => {
      waited = true
      app.quit()
    })
  })
}
