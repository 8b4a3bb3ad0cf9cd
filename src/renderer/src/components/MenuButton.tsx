import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react'

interface Props {
  label: string
  items: readonly { id: string; label: string }[]
  onChoose(id: string): void
}

/**
 * The ARIA menu button: nothing happens until an item is chosen (a <select> would act on every arrow
 * key). Enter, Space or ↓ open it on the first item, ↑ on the last; ↑/↓/Home/End move; Enter or Space
 * choose; Esc closes and gives focus back to the button; Tab or a click elsewhere closes.
 */
export function MenuButton({ label, items, onChoose }: Props) {
  const [open, setOpen] = useState(false)
  const [active, setActive] = useState(0)
  const button = useRef<HTMLButtonElement>(null)
  const menu = useRef<HTMLUListElement>(null)
  const id = useId()

  useEffect(() => {
    if (open) menu.current?.querySelectorAll<HTMLElement>('[role=menuitem]')[active]?.focus()
  }, [open, active])
  useEffect(() => {
    if (!open) return
    const away = (event: PointerEvent) => {
      const inside = [button.current, menu.current].some((el) => el?.contains(event.target as Node))
      if (!inside) setOpen(false)
    }
    window.addEventListener('pointerdown', away)
    return () => window.removeEventListener('pointerdown', away)
  }, [open])

  const openAt = (index: number) => {
    setActive(index)
    setOpen(true)
  }
  const close = () => {
    setOpen(false)
    button.current?.focus()
  }
  const choose = (itemId: string) => {
    close()
    onChoose(itemId)
  }
  const onButtonKey = (event: KeyboardEvent) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault()
      openAt(event.key === 'ArrowDown' ? 0 : items.length - 1)
    }
  }
  const onMenuKey = (event: KeyboardEvent) => {
    const moves: Record<string, number> = {
      ArrowDown: (active + 1) % items.length,
      ArrowUp: (active - 1 + items.length) % items.length,
      Home: 0,
      End: items.length - 1,
    }
    if (event.key in moves) {
      setActive(moves[event.key]!)
    } else if (event.key === 'Escape') {
      close()
    } else if (event.key === 'Tab') {
      setOpen(false)
      return
    } else if (event.key === 'Enter' || event.key === ' ') {
      choose(items[active]!.id)
    } else {
      return
    }
    // The menu's keys are the menu's: not the timeline's End, not a panel's Esc.
    event.preventDefault()
    event.stopPropagation()
  }
  return (
    <span className="menu-button">
      <button
        ref={button}
        className="copy"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? id : undefined}
        onClick={() => (open ? setOpen(false) : openAt(0))}
        onKeyDown={onButtonKey}
      >
        {label} <span aria-hidden="true">▾</span>
      </button>
      {open && (
        <ul className="menu" role="menu" id={id} aria-label={label} ref={menu} onKeyDown={onMenuKey}>
          {items.map((item, i) => (
            <li
              key={item.id}
              role="menuitem"
              tabIndex={i === active ? 0 : -1}
              onClick={() => choose(item.id)}
              onMouseEnter={() => setActive(i)}
            >
              {item.label}
            </li>
          ))}
        </ul>
      )}
    </span>
  )
}
