import { useState, type ReactNode } from 'react'

/** Long content folded to a few lines, so one message cannot fill the screen; a button unfolds it. */
export function Collapsible({ long, children }: { long: boolean; children: ReactNode }) {
  const [open, setOpen] = useState(false)
  if (!long) return <>{children}</>
  return (
    <div className={`collapsible${open ? ' open' : ''}`}>
      <div className="collapsible-body">{children}</div>
      <button className="link" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? 'Show less' : 'Show more'}
      </button>
    </div>
  )
}
