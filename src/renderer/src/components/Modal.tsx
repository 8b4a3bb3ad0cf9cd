import { useEffect, useRef, type ReactNode } from 'react'

const FOCUSABLE = 'button:not(:disabled), input:not(:disabled), select, textarea, a[href], [tabindex="0"]'

/**
 * A modal dialog that behaves like one: focus goes in and stays in (Tab and Shift+Tab cycle; a click on
 * the backdrop does not take it out), Esc closes it wherever focus is, and focus returns to where it
 * was when it closes. The first focusable element with `autoFocus` (or the first one) gets focus.
 */
export function Modal({
  label,
  role = 'dialog',
  onClose,
  children,
}: {
  label: string
  role?: 'dialog' | 'alertdialog'
  onClose(): void
  children: ReactNode
}) {
  const box = useRef<HTMLDivElement>(null)
  // The latest onClose, without re-running the effect (and moving focus) on every render.
  const close = useRef(onClose)
  useEffect(() => {
    close.current = onClose
  })
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null
    const inside = () => [...(box.current?.querySelectorAll<HTMLElement>(FOCUSABLE) ?? [])]
    if (!box.current?.contains(document.activeElement)) inside()[0]?.focus()
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        event.preventDefault()
        event.stopPropagation()
        close.current()
      } else if (event.key === 'Tab') {
        const all = inside()
        const at = all.indexOf(document.activeElement as HTMLElement)
        const next = event.shiftKey ? (at <= 0 ? all.length - 1 : at - 1) : (at + 1) % all.length
        event.preventDefault()
        all[next]?.focus()
      }
    }
    const onFocusIn = (event: FocusEvent) => {
      if (!box.current?.contains(event.target as Node)) inside()[0]?.focus()
    }
    // Capture: the dialog's keys come before any shortcut of the page under it.
    document.addEventListener('keydown', onKey, true)
    document.addEventListener('focusin', onFocusIn)
    return () => {
      document.removeEventListener('keydown', onKey, true)
      document.removeEventListener('focusin', onFocusIn)
      before?.focus()
    }
  }, [])
  return (
    <div
      className="modal-backdrop"
      // A click on the backdrop would move focus to <body>: keep it in the dialog.
      onMouseDown={(event) => event.target === event.currentTarget && event.preventDefault()}
    >
      <div className="modal" role={role} aria-modal="true" aria-label={label} ref={box}>
        {children}
      </div>
    </div>
  )
}
