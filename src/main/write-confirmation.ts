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
      'The chat app can keep running: each change is a short transaction, and a snapshot is taken first.',
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
  if (channel === 'cleanup.apply') {
    const { plan, includeStreaming } = data as {
      plan: { groups: { streaming: boolean; chunks: number }[] }
      includeStreaming: boolean
    }
    const groups = plan.groups.filter((g) => includeStreaming || !g.streaming)
    return {
      message: `Compact ${groups.length} streamed replies in ${fileName}?`,
      detail: `${groups.reduce((n, g) => n + g.chunks, 0)} chunks become ${groups.length} assistant messages. Chunks that arrive meanwhile are kept. A snapshot is taken first, so this can be undone.`,
      confirmLabel: 'Compact',
    }
  }
  if (channel === 'delete.apply') {
    const { plan } = data as { plan: { all: boolean; rows: number; conversations: unknown[] } }
    return {
      message: plan.all
        ? `Delete every conversation in ${fileName}?`
        : `Delete ${plan.conversations.length} conversation${plan.conversations.length === 1 ? '' : 's'} from ${fileName}?`,
      detail: `${plan.rows} events will be deleted; events written meanwhile are kept. A snapshot is taken first, so this can be undone.`,
      confirmLabel: plan.all ? 'Delete everything' : 'Delete',
    }
  }
  if (channel === 'snapshots.undo') {
    return {
      message: `Undo a change to ${fileName}?`,
      detail:
        'The rows the change removed come back from its snapshot, and the rows it added are removed. What was written since stays.',
      confirmLabel: 'Undo',
    }
  }
  return {
    message: `Change ${fileName}?`,
    detail: `The operation "${channel}" writes to the file.`,
    confirmLabel: 'Continue',
  }
}
