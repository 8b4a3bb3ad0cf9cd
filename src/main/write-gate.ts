// Before the UI changes a file, main asks in native dialogs: switching the file to writing (once), then
// the operation itself. One question at a time: two writes started together queue their dialogs, and the
// second no longer asks to switch a file the first one switched.
import type { Channel, FileRef } from '../shared/api'
import { CANCELLED, type WriteDecision } from './ipc/register-ipc'
import { confirmationFor, switchToWriting, type Confirmation } from './write-confirmation'

export interface WriteGateDeps<W> {
  files(): FileRef[]
  /** A native dialog (Cancel first and default); true when the user confirmed. */
  ask(window: W | undefined, question: Confirmation): Promise<boolean>
  /** Reopens the file for writing in the database worker. */
  makeWritable(fileId: string): Promise<void>
}

/** Runs one task at a time, in call order; a failed task does not stop the ones after it. */
export function oneAtATime(): <T>(task: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve()
  return (task) => {
    const run = tail.then(task, task)
    tail = run.catch(() => undefined)
    return run
  }
}

export function writeGate<W>(
  deps: WriteGateDeps<W>,
): (window: W | undefined, channel: Channel, input: unknown) => Promise<WriteDecision> {
  const writable = new Set<string>()
  const queue = oneAtATime()
  return (window, channel, input) =>
    queue(async () => {
      const fileId = (input as { fileId?: unknown } | null)?.fileId
      const ref = deps.files().find((f) => f.fileId === fileId)
      const question = ref && confirmationFor(channel, input, ref.name)
      // Invalid input: go on, and the handlers refuse it with a message that says what is wrong.
      if (!ref || !question) return { go: true }
      if (!writable.has(ref.fileId)) {
        if (!(await deps.ask(window, switchToWriting(ref.name)))) return { go: false, failure: CANCELLED }
        try {
          await deps.makeWritable(ref.fileId)
        } catch (error) {
          const message = `${ref.name} could not be opened for writing: ${(error as Error).message}`
          return { go: false, failure: { ok: false, reason: 'read_only', message } }
        }
        writable.add(ref.fileId)
      }
      return (await deps.ask(window, question)) ? { go: true } : { go: false, failure: CANCELLED }
    })
}
