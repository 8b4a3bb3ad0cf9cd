import type { IndexStatus } from '../../../../shared/api'
import { activeFilters, matchingLine, NO_FILTERS, type ListFilters } from './list-filters'

interface Props {
  filters: ListFilters
  onChange(filters: ListFilters): void
  /** Present while the index is being built (or rebuilt): the list is plain pages meanwhile. */
  building: IndexStatus | undefined
  matching: number | undefined
  all: number | undefined
  filtered: boolean
  /** What the last jump to a date did, said once. */
  notice: string
}

/** Indexing progress, or how many conversations match; the active filters as removable chips. */
export function ListStatus({ filters, onChange, building, matching, all, filtered, notice }: Props) {
  const chips = activeFilters(filters)
  return (
    <div className="list-status">
      <div className="list-count-line">
        <p className="list-count" role="status">
          {building ? (
            <span className="indexing">Indexing {percent(building)}% — filters will be ready soon</span>
          ) : matching !== undefined ? (
            matchingLine(matching, all, filtered)
          ) : null}
          {notice && <span className="jump-notice"> · {notice}</span>}
        </p>
        {filtered && (
          <button
            className="link clear-filters"
            onClick={() => onChange({ ...NO_FILTERS, sort: filters.sort })}
          >
            Clear filters
          </button>
        )}
      </div>
      {chips.length > 0 && (
        <ul className="active-filters" aria-label="Active filters">
          {chips.map((chip) => (
            <li key={chip.key}>
              <button
                className="filter-chip"
                aria-label={`Remove filter: ${chip.label}`}
                onClick={() => onChange(chip.without)}
              >
                {chip.label}
                <span aria-hidden="true"> ×</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}

/** Rows copied so far; never 100 before it is done (conversations are summarized last). */
function percent(status: IndexStatus): number {
  return status.total === 0 ? 0 : Math.min(99, Math.floor((status.indexed / status.total) * 100))
}
