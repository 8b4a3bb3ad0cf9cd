import { useState } from 'react'

/** The conversations picked (Ctrl/Cmd+click, Space), to delete or export them together. */
export function usePicked() {
  const [picked, setPicked] = useState<Set<string>>(new Set())
  return {
    picked,
    toggle: (id: string) =>
      setPicked((now) => {
        const next = new Set(now)
        if (!next.delete(id)) next.add(id)
        return next
      }),
    clear: () => setPicked(new Set()),
  }
}
