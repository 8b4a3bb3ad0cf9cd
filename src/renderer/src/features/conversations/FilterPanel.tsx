import { useId } from 'react'
import type { ConversationQueryResult } from '../../../../shared/api'
import { number } from '../../lib/format'
import type { ListFilters } from './list-filters'

type Facets = ConversationQueryResult['facets']

interface Props {
  id: string
  filters: ListFilters
  onChange(filters: ListFilters): void
  /** Counts among the conversations matching now; undefined until the index is ready. */
  facets: Facets | undefined
  onJump(day: string): void
  /** Escape: the panel closes (focus goes back to its button). */
  onClose(): void
}

/**
 * The filters beyond the text field, with how many of the matching conversations each would keep, and
 * a date to go to. Until the index is built there are no counts to offer: the panel says so.
 */
export function FilterPanel({ id, filters, onChange, facets, onJump, onClose }: Props) {
  const set = (change: Partial<ListFilters>) => onChange({ ...filters, ...change })
  const ready = facets !== undefined
  return (
    <div className="filter-panel" id={id} onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <fieldset disabled={!ready} className="filter-fields">
        <legend className="visually-hidden">Filter conversations</legend>
        <FacetSelect
          label="Model"
          any="Any model"
          value={filters.model}
          counts={facets?.models ?? []}
          onChange={(model) => set({ model })}
        />
        <FacetSelect
          label="Tool"
          any="Any tool"
          value={filters.tool}
          counts={facets?.tools ?? []}
          onChange={(tool) => set({ tool })}
        />
        <DayField
          label="Active since"
          title="Conversations with activity on or after this day"
          value={filters.since}
          onChange={(since) => set({ since })}
        />
        <DayField
          label="Begun by"
          title="Conversations that started on or before this day"
          value={filters.until}
          onChange={(until) => set({ until })}
        />
        <div className="filter-toggles" role="group" aria-label="Only conversations with">
          <Toggle
            label="Tool calls"
            title="Conversations with at least one tool call"
            checked={filters.hasTools}
            count={facets?.hasTools}
            onChange={(hasTools) => set({ hasTools })}
          />
          <Toggle
            label="Pending"
            title="Conversations with streamed chunks not compacted into a message yet"
            checked={filters.hasPending}
            count={facets?.hasPending}
            onChange={(hasPending) => set({ hasPending })}
          />
          <Toggle
            label="Problems"
            title="Conversations with pending chunks or tool calls without a result"
            checked={filters.hasProblems}
            count={facets?.hasProblems}
            onChange={(hasProblems) => set({ hasProblems })}
          />
        </div>
      </fieldset>
      <JumpToDate disabled={!ready} onJump={onJump} />
      {!ready && <p className="muted filter-note">Filters are ready once the file is indexed.</p>}
    </div>
  )
}

interface FacetSelectProps {
  label: string
  any: string
  value: string | null
  counts: Facets['models']
  onChange(value: string | null): void
}

function FacetSelect({ label, any, value, counts, onChange }: FacetSelectProps) {
  const id = useId()
  // The value chosen stays listed when other filters leave none of its conversations.
  const options =
    value === null || counts.some((c) => c.value === value) ? counts : [{ value, count: 0 }, ...counts]
  return (
    <div className="filter-field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={value ?? ''}
        onChange={(e) => onChange(e.target.value === '' ? null : e.target.value)}
      >
        <option value="">{any}</option>
        {options.map((c) => (
          <option key={c.value} value={c.value}>
            {c.value} ({number(c.count)})
          </option>
        ))}
      </select>
    </div>
  )
}

function DayField(props: { label: string; title: string; value: string; onChange(day: string): void }) {
  const id = useId()
  return (
    <div className="filter-field" title={props.title}>
      <label htmlFor={id}>{props.label}</label>
      <input id={id} type="date" value={props.value} onChange={(e) => props.onChange(e.target.value)} />
    </div>
  )
}

interface ToggleProps {
  label: string
  title: string
  checked: boolean
  count: number | undefined
  onChange(checked: boolean): void
}

function Toggle({ label, title, checked, count, onChange }: ToggleProps) {
  return (
    <label className={`filter-toggle${checked ? ' on' : ''}`} title={title}>
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />
      {label}
      {count !== undefined && <span className="toggle-count">{number(count)}</span>}
    </label>
  )
}

/** A date to go to: the list scrolls to the first conversation at or before it, in the current sort. */
function JumpToDate({ disabled, onJump }: { disabled: boolean; onJump(day: string): void }) {
  const id = useId()
  return (
    <form
      className="jump-to-date"
      onSubmit={(e) => {
        e.preventDefault()
        const day = new FormData(e.currentTarget).get('day')
        if (typeof day === 'string' && day) onJump(day)
      }}
    >
      <label htmlFor={id}>Go to date</label>
      <input id={id} name="day" type="date" disabled={disabled} required />
      <button type="submit" disabled={disabled}>
        Go
      </button>
    </form>
  )
}
