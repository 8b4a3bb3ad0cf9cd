import { useQueryClient } from '@tanstack/react-query'
import { useSyncExternalStore } from 'react'
import { call } from '../../lib/api'

/** The change just made, offered for undo right where the user is (deleting a conversation leaves it). */
interface Notice {
  fileId: string
  entryId: number | null
  text: string
}

let current: Notice | null = null
const listeners = new Set<() => void>()
const set = (notice: Notice | null) => {
  current = notice
  for (const listener of listeners) listener()
}

export const showUndo = (notice: Notice): void => set(notice)

/** "Deleted 2 conversations. Undo" at the bottom of the window, until dismissed or replaced. */
export function UndoNotice() {
  const notice = useSyncExternalStore(
    (listener) => {
      listeners.add(listener)
      return () => void listeners.delete(listener)
    },
    () => current,
  )
  const queries = useQueryClient()
  if (!notice) return null
  const undo = async () => {
    try {
      const r = await call('undo.apply', { fileId: notice.fileId, entryId: notice.entryId! })
      set({
        ...notice,
        entryId: null,
        text: r.skipped.length
          ? `Undone in part: ${r.skipped.map((s) => `${s.conversation_id}: ${s.reason}`).join('; ')}.`
          : 'Undone.',
      })
      await queries.invalidateQueries({ queryKey: [notice.fileId] })
    } catch (error) {
      set({ ...notice, entryId: null, text: (error as Error).message })
    }
  }
  return (
    <div className="undo-notice" role="status">
      <span>{notice.text}</span>
      {notice.entryId !== null && (
        <button className="primary" onClick={() => void undo()}>
          Undo
        </button>
      )}
      <button aria-label="Dismiss" onClick={() => set(null)}>
        ×
      </button>
    </div>
  )
}
