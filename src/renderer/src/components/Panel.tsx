import { useEffect, type ReactNode } from 'react'

/** A panel that drops down from the header; Esc or its button closes it. */
export function Panel({
  label,
  title,
  onClose,
  children,
}: {
  label: string
  title: string
  onClose(): void
  children: ReactNode
}) {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => event.key === 'Escape' && onClose()
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [onClose])
  return (
    <div className="panel" role="dialog" aria-label={label}>
      <div className="panel-head">
        <h2>{title}</h2>
        <button
          className="copy"
          onClick={onClose}
          aria-label={`Close ${label.toLowerCase()}`}
          title="Close (Esc)"
        >
          Close
        </button>
      </div>
      {children}
    </div>
  )
}
