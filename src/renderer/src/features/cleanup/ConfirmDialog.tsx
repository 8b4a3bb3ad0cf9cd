import { useState } from 'react'
import { Modal } from '../../components/Modal'

interface Props {
  title: string
  children: React.ReactNode
  confirmLabel: string
  /** When set, the user types this before the confirm button works (clearing everything). */
  typeToConfirm?: string
  onConfirm(): void
  onCancel(): void
}

/**
 * A confirmation in the page (the browser; the desktop app asks in a native dialog). Cancel is the
 * default; focus stays inside and Esc cancels wherever focus is (Modal).
 */
export function ConfirmDialog({ title, children, confirmLabel, typeToConfirm, onConfirm, onCancel }: Props) {
  const [typed, setTyped] = useState('')
  const ready = !typeToConfirm || typed === typeToConfirm
  return (
    <Modal label={title} role="alertdialog" onClose={onCancel}>
      <h3>{title}</h3>
      <div className="modal-body">{children}</div>
      {typeToConfirm && (
        <label className="type-to-confirm">
          Type <code>{typeToConfirm}</code> to confirm
          <input value={typed} onChange={(e) => setTyped(e.target.value)} aria-label="Confirmation" />
        </label>
      )}
      <div className="modal-actions">
        <button autoFocus onClick={onCancel}>
          Cancel
        </button>
        <button className="danger" disabled={!ready} onClick={onConfirm}>
          {confirmLabel}
        </button>
      </div>
    </Modal>
  )
}
