import { useState, type PointerEvent } from 'react'

const KEY = 'chv-sidebar-width'
const clamp = (w: number) => Math.min(Math.max(w, 220), 640)

/** The sidebar's width, dragged with the handle and kept for next time. */
export function useSidebarWidth() {
  const [width, setWidth] = useState(() => clamp(Number(localStorage.getItem(KEY)) || 320))
  const onPointerDown = (event: PointerEvent<HTMLElement>) => {
    const handle = event.currentTarget
    handle.setPointerCapture(event.pointerId)
    const move = (e: globalThis.PointerEvent) => setWidth(clamp(e.clientX))
    const up = (e: globalThis.PointerEvent) => {
      handle.removeEventListener('pointermove', move)
      handle.removeEventListener('pointerup', up)
      localStorage.setItem(KEY, String(clamp(e.clientX)))
    }
    handle.addEventListener('pointermove', move)
    handle.addEventListener('pointerup', up)
  }
  return { width, handle: { onPointerDown } }
}
