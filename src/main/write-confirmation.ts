// What main asks the user, in a native dialog, before the UI changes a file.
import { contract, type Channel } from '../shared/api'

export interface Confirmation {
  message: string
  detail: string
  confirmLabel: string
}

/** The first change to a file opened read-only: switching it to writing, and what that means. */
export function switchToWriting(fileName: string): Confirmation {
  return {
    message: `Open ${fileName} for writing?`,
    detail:
      'Until now the app has only read this file. Writing lets you compact streamed replies, delete conversations and undo. ' +
      'The chat app can keep running: each change is a short transaction, recorded first in an undo journal.',
    confirmLabel: 'Allow writing',
  }
}

/** The question for one operation, from its (validated) input; undefined when the input is not valid. */
export function confirmationFor(
  channel: Channel,
  input: unknown,
  fileName: string,
): Confirmation | undefined {
  const parsed = contract[channel].input.safeParse(input)
  if (!parsed.success) return undefined
  const data = parsed.data as Record<string, unknown>
  // The counts come from the page, but the handler refuses a plan whose counts differ: what this
  // dialog says is what the change does.
  if (channel === 'cleanup.apply') {
    const { replies, chunks } = data as { replies: number; chunks: number }
    return {
      message: `Compact ${plural(replies, 'streamed reply', 'streamed replies')} in ${fileName}?`,
      detail: `${plural(chunks, 'chunk')} become ${plural(replies, 'assistant message')}, each where it was streamed. Chunks that arrive meanwhile are kept. It is recorded in the undo journal first, so it can be undone.`,
      confirmLabel: 'Compact',
    }
  }
  if (channel === 'delete.apply') {
    const { all, conversations, rows, shred } = data as {
      all: boolean
      conversations: number
      rows: number
      shred: boolean
    }
    if (shred)
      return {
        message: `Delete ${all ? 'every conversation' : plural(conversations, 'conversation')} in ${fileName} for good?`,
        detail: `${plural(rows, 'event')} will be deleted and cannot be undone: no backup is taken, their copies leave the undo journal, the -wal and the search index, and every byte is checked afterwards.`,
        confirmLabel: 'Delete for good',
      }
    return {
      message: all
        ? `Delete every conversation in ${fileName}?`
        : `Delete ${plural(conversations, 'conversation')} from ${fileName}?`,
      detail: `${plural(rows, 'event')} will be deleted; events written meanwhile are kept. They are recorded in the undo journal first${all ? ', and a full backup is taken' : ''}, so this can be undone.`,
      confirmLabel: all ? 'Delete everything' : 'Delete',
    }
  }
  if (channel === 'privacy.redact') {
    const { count, shred } = data as { count: number; shred: boolean }
    return {
      message: `${shred ? 'Remove' : 'Redact'} ${plural(count, 'secret')} in ${fileName}${shred ? ' for good' : ''}?`,
      detail: shred
        ? 'Each becomes [REDACTED:rule]. This cannot be undone: the old text leaves the file, the undo journal, the -wal and the search index, and every byte is checked afterwards.'
        : 'Each becomes [REDACTED:rule]; the text around it stays. It is recorded in the undo journal first, so it can be undone.',
      confirmLabel: shred ? 'Remove for good' : 'Redact',
    }
  }
  if (channel === 'undo.apply') {
    return {
      message: `Undo a change to ${fileName}?`,
      detail:
        'The rows the change removed come back and the rows it added are removed, where they are still as it left them. What was written since stays.',
      confirmLabel: 'Undo',
    }
  }
  if (channel === 'vacuum.apply') {
    return {
      message: `Compact the file ${fileName} (VACUUM)?`,
      detail:
        'A full backup is taken first. While it runs no other program can write to the file: stop the chat app first.',
      confirmLabel: 'Vacuum',
    }
  }
  return {
    message: `Change ${fileName}?`,
    detail: `The operation "${channel}" writes to the file.`,
    confirmLabel: 'Continue',
  }
}

const plural = (n: number, one: string, many = `${one}s`) =>
  `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`
