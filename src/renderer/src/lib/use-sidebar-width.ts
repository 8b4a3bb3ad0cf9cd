import { useState, type KeyboardEvent, type PointerEvent } from 'react'

const KEY = 'chv-sidebar-width'
export const SIDEBAR_MIN = 220
export const SIDEBAR_MAX = 640
const STEP = 20
const clamp = (w: number) => Math.min(Math.max(w, SIDEBAR_MIN), SIDEBAR_MAX)

/** The sidebar's width, dragged with the handle or moved with its arrow keys, and kept for next time. */
export function useSidebarWidth() {
  const [width, setWidth] = useState(() => clamp(Number(localStorage.getItem(KEY)) || 320))
  const keep = (w: number) => {
    setWidth(w)
    localStorage.setItem(KEY, String(w))
  }
  const onPointerDown = (event: PointerEvent<HTMLElement>) => {
    const handle = event.currentTarget
    handle.setPointerCapture(event.pointerId)
    const move = (e: globalThis.PointerEvent) => setWidth(clamp(e.clientX))
    const up = (e: globalThis.PointerEvent) => {
      handle.removeEventListener('pointermove', move)
      handle.removeEventListener('pointerup', up)
      keep(clamp(e.clientX))
    }
    handle.addEventListener('pointermove', move)
    handle.addEventListener('pointerup', up)
  }
  // The keys of the ARIA window splitter pattern.
  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    const next: Record<string, number> = {
      ArrowLeft: width - STEP,
      ArrowRight: width + STEP,
      Home: SIDEBAR_MIN,
      End: SIDEBAR_MAX,
    }
    if (!(event.key in next)) return
    event.preventDefault()
    event.stopPropagation()
    keep(clamp(next[event.key]!))
  }
  return { width, handle: { onPointerDown, onKeyDown } }
}
