import { useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import type { DeletionPlan } from '../../../../shared/api'
import { call } from '../../lib/api'
import { count } from '../../lib/format'
import { ConfirmDialog } from './ConfirmDialog'
import { showUndo } from './undo-notice'
import { confirmsInPage, useWritable } from './use-writable'

export function DeleteConversations({
  fileId,
  conversationIds,
  label = 'Delete…',
  onDeleted,
}: {
  fileId: string
  conversationIds: string[]
  label?: string
  onDeleted(): void
}) {
  const queries = useQueryClient()
  const { writable, why } = useWritable(fileId)
  const [plan, setPlan] = useState<DeletionPlan | null>(null)
  const [error, setError] = useState<string | null>(null)
  const ask = async () => {
    try {
      const planned = await call('delete.plan', { fileId, conversationIds })
      if (confirmsInPage()) setPlan(planned)
      else await remove(planned)
    } catch (e) {
      setError((e as Error).message)
    }
  }
  const remove = async (planned: DeletionPlan) => {
    try {
      const done = await call('delete.apply', {
        fileId,
        planId: planned.planId,
        all: planned.all,
        conversations: planned.conversationsTotal,
        rows: planned.rows,
      })
      setPlan(null)
      showUndo({
        fileId,
        entryId: done.entryId,
        text: `Deleted ${count(done.conversations, 'conversation')} (${count(done.rowsRemoved, 'event')}).`,
      })
      await queries.invalidateQueries({ queryKey: [fileId] })
      onDeleted()
    } catch (e) {
      setPlan(null)
      setError((e as Error).message)
    }
  }
  return (
    <>
      <button className="copy" disabled={!writable} title={why || 'Delete'} onClick={() => void ask()}>
        {label}
      </button>
      {error && <span className="badge error">{error}</span>}
      {plan && (
        <ConfirmDialog
          title={
            conversationIds.length === 1
              ? 'Delete this conversation?'
              : `Delete ${conversationIds.length} conversations?`
          }
          confirmLabel="Delete"
          onCancel={() => setPlan(null)}
          onConfirm={() => void remove(plan)}
        >
          <p>
            {conversationIds.length === 1 ? (
              <code>{conversationIds[0]}</code>
            ) : (
              `${conversationIds.length} conversations`
            )}
            : {count(plan.rows, 'event')} will be deleted. Events written after this moment are kept. It is
            recorded in the undo journal first, so it can be undone.
          </p>
        </ConfirmDialog>
      )}
    </>
  )
}
