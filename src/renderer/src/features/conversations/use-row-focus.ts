import type { Virtualizer } from '@tanstack/react-virtual'
import { useEffect, useRef, useState, type RefObject } from 'react'

/** How long a row asked to take focus may wait for its page (then the user has moved on). */
const FOCUS_WAIT_MS = 3000

/**
 * The list is one tab stop (the focused row); ↑/↓, PgUp/PgDn, Home/End move real focus along it, Space
 * calls `onSpace` on the focused row, only while the list has focus: elsewhere those keys belong to what
 * has focus. A row far away may not be fetched yet: it takes focus when it arrives.
 */
export function useRowFocus(
  scroller: RefObject<HTMLDivElement | null>,
  virtualizer: Virtualizer<HTMLDivElement, Element>,
  count: number,
  rowHeight: number,
  onSpace: (index: number) => void,
) {
  const [focused, setFocused] = useState(0)
  const wanted = useRef<{ index: number; since: number } | null>(null)
  // After every render: the row asked for may have just been fetched.
  useEffect(() => {
    const want = wanted.current
    if (!want) return
    if (performance.now() - want.since > FOCUS_WAIT_MS) {
      wanted.current = null
      return
    }
    const row = scroller.current?.querySelector<HTMLElement>(`[data-index="${want.index}"] button`)
    if (row) {
      row.focus({ preventScroll: true })
      wanted.current = null
    }
  })

  const focusRow = (index: number) => {
    const next = Math.min(Math.max(index, 0), count - 1)
    setFocused(next)
    virtualizer.scrollToIndex(next)
    wanted.current = { index: next, since: performance.now() }
  }

  const onKeyDown = (event: React.KeyboardEvent) => {
    if (count === 0 || !(event.target as HTMLElement).closest('[data-index]')) return
    if (event.key === ' ') {
      event.preventDefault()
      onSpace(focused)
      return
    }
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? 0) / rowHeight) - 1)
    const to: Record<string, number> = {
      ArrowDown: focused + 1,
      ArrowUp: focused - 1,
      PageDown: focused + page,
      PageUp: focused - page,
      Home: 0,
      End: count - 1,
    }
    if (!(event.key in to)) return
    event.preventDefault()
    focusRow(to[event.key]!)
  }

  /** Focus landing on a row (a click, Tab) makes it the focused one. */
  const onFocus = (event: React.FocusEvent) => {
    const index = Number(event.target.closest('[data-index]')?.getAttribute('data-index'))
    if (Number.isInteger(index)) setFocused(index)
  }

  return { focused, setFocused, onKeyDown, onFocus }
}
