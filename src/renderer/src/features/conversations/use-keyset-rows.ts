import { useInfiniteQuery } from '@tanstack/react-query'
import { useMemo } from 'react'
import type { ConversationSummary, ListCursor } from '../../../../shared/api'
import { call } from '../../lib/api'
import type { Sort } from './list-filters'

const PAGE = 100

/**
 * The list before the index is built: keyset pages straight from the file (the first one needs no
 * index at all), by text and sort only, paged in as the end comes into view.
 */
export function useKeysetRows(fileId: string, text: string, sort: Sort, enabled: boolean) {
  const pages = useInfiniteQuery({
    queryKey: [fileId, 'conversations', text, sort],
    queryFn: ({ pageParam }) =>
      call('conversations.list', { fileId, limit: PAGE, cursor: pageParam, filter: text, sort }),
    initialPageParam: null as ListCursor | null,
    getNextPageParam: (page) => page.next,
    enabled,
  })
  const rows = useMemo<ConversationSummary[]>(
    () => pages.data?.pages.flatMap((p) => p.conversations) ?? [],
    [pages.data],
  )
  return {
    rows,
    loaded: pages.data !== undefined,
    error: pages.error,
    hasMore: pages.hasNextPage,
    /** Asks for the next page when `index` (a row about to be shown) is past the rows read. */
    reach(index: number) {
      if (index >= rows.length && pages.hasNextPage && !pages.isFetchingNextPage) void pages.fetchNextPage()
    },
  }
}
