import { keepPreviousData, useQueries, useQuery } from '@tanstack/react-query'
import type { ConversationQueryResult, IndexedConversation } from '../../../../shared/api'
import { call } from '../../lib/api'
import { useDebounced } from '../../lib/use-debounced'
import type { QueryFilters } from './list-filters'

/** Rows per page of the index's list. */
export const INDEX_PAGE = 100
/** While the index catches up with a change, its answers are asked again this often. */
const CATCH_UP_MS = 600

const refetchWhileBuilding = (data: Pick<ConversationQueryResult, 'status'> | undefined) =>
  data?.status.state === 'building' ? CATCH_UP_MS : false

/** Indexes of the rows on screen (overscan included). */
export interface RowRange {
  start: number
  end: number
}

const pagesOf = ({ start, end }: RowRange, margin = 0): number[] => {
  const first = Math.max(0, Math.floor((start - margin) / INDEX_PAGE))
  const last = Math.max(first, Math.floor((end + margin) / INDEX_PAGE))
  return Array.from({ length: Math.min(last - first + 1, 50) }, (_, i) => first + i)
}

/**
 * The whole filtered list from the derived index, as pages fetched for the rows on screen: the first
 * page carries the total and the counts per facet. Pages are asked for once the range has settled (a
 * drag across 100,000 rows asks only for where it stops), with the next page on each side; rows not
 * fetched yet are `undefined` (placeholders).
 */
export function useIndexedRows(fileId: string, filters: QueryFilters, range: RowRange, enabled: boolean) {
  const head = useQuery({
    queryKey: [fileId, 'conversations.query', filters, 0],
    queryFn: () => call('conversations.query', { fileId, ...filters, offset: 0, limit: INDEX_PAGE }),
    enabled,
    // While other filters' answer comes, the list keeps the last one (no flash of an empty list).
    placeholderData: keepPreviousData,
    refetchInterval: (q) => refetchWhileBuilding(q.state.data),
  })
  // A string: the range is a new object every render, and would never settle.
  const [start, end] = useDebounced(`${range.start}:${range.end}`, 80).split(':').map(Number)
  const settled = { start: start ?? 0, end: end ?? 0 }
  const wanted = new Set(pagesOf(settled, INDEX_PAGE / 2))
  const shown = pagesOf(range)
  const pageNumbers = [...new Set([...shown, ...wanted])].filter((n) => n > 0)
  const pages = useQueries({
    queries: pageNumbers.map((n) => ({
      queryKey: [fileId, 'conversations.page', filters, n],
      // The counts came with the first page: these are rows only.
      queryFn: () =>
        call('conversations.page', { fileId, ...filters, offset: n * INDEX_PAGE, limit: INDEX_PAGE }),
      // Pages only passed over (while dragging) are shown if already read, never asked for.
      enabled: enabled && wanted.has(n),
      refetchInterval: (q: { state: { data?: Pick<ConversationQueryResult, 'status'> } }) =>
        refetchWhileBuilding(q.state.data),
    })),
  })
  const byPage = new Map<number, IndexedConversation[]>()
  if (head.data && !head.isPlaceholderData) byPage.set(0, head.data.conversations)
  pageNumbers.forEach((n, i) => {
    const data = pages[i]?.data
    if (data) byPage.set(n, data.conversations)
  })
  return {
    /** The answer for these filters (or, while it comes, the previous filters'). */
    head: head.data,
    stale: head.isPlaceholderData,
    error: head.error ?? pages.find((p) => p.error)?.error ?? null,
    rowAt: (index: number): IndexedConversation | undefined =>
      head.isPlaceholderData && index < INDEX_PAGE
        ? head.data?.conversations[index]
        : byPage.get(Math.floor(index / INDEX_PAGE))?.[index % INDEX_PAGE],
  }
}
