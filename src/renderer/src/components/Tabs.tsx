import { useRef, type KeyboardEvent } from 'react'

interface Props<T extends string> {
  tabs: readonly { id: T; label: string }[]
  selected: T
  label: string
  /** Tab i is `${idPrefix}-tab-${id}` and controls `${idPrefix}-panel-${id}`. */
  idPrefix: string
  onSelect(id: T): void
}

/** ARIA tabs: one tab stop, ←/→ (and Home/End) move to a tab and show it. */
export function Tabs<T extends string>({ tabs, selected, label, idPrefix, onSelect }: Props<T>) {
  const list = useRef<HTMLDivElement>(null)
  const onKeyDown = (event: KeyboardEvent) => {
    const at = tabs.findIndex((t) => t.id === selected)
    const to: Record<string, number> = {
      ArrowRight: (at + 1) % tabs.length,
      ArrowLeft: (at - 1 + tabs.length) % tabs.length,
      Home: 0,
      End: tabs.length - 1,
    }
    const next = tabs[to[event.key] ?? -1]
    if (!next) return
    event.preventDefault()
    event.stopPropagation()
    onSelect(next.id)
    list.current?.querySelector<HTMLElement>(`#${idPrefix}-tab-${next.id}`)?.focus()
  }
  return (
    <div className="tabs" role="tablist" aria-label={label} ref={list} onKeyDown={onKeyDown}>
      {tabs.map((tab) => (
        <button
          key={tab.id}
          id={`${idPrefix}-tab-${tab.id}`}
          role="tab"
          aria-selected={tab.id === selected}
          aria-controls={`${idPrefix}-panel-${tab.id}`}
          tabIndex={tab.id === selected ? 0 : -1}
          onClick={() => onSelect(tab.id)}
        >
          {tab.label}
        </button>
      ))}
    </div>
  )
}
