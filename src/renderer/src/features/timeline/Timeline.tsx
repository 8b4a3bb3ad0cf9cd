import { useInfiniteQuery } from '@tanstack/react-query'
import { LoadMore } from '../../components/LoadMore'
import { call } from '../../lib/api'
import { EventCard } from './EventCard'

const PAGE = 200
export const CONTENT_CHARS = 4000

export function Timeline({ fileId, conversationId }: { fileId: string; conversationId: string }) {
  const pages = useInfiniteQuery({
    queryKey: [fileId, 'events', conversationId],
    queryFn: ({ pageParam }) =>
      call('events.page', {
        fileId,
        conversationId,
        afterSeq: pageParam,
        limit: PAGE,
        contentChars: CONTENT_CHARS,
      }),
    initialPageParam: null as number | null,
    getNextPageParam: (page) => page.nextAfterSeq,
  })
  if (pages.error) return <p className="state error">{pages.error.message}</p>
  if (!pages.data) return <p className="state">Loading events…</p>
  return (
    <ol className="timeline">
      {pages.data.pages.flatMap((page) =>
        page.events.map((event) => (
          <li key={event.id}>
            <EventCard fileId={fileId} event={event} />
          </li>
        )),
      )}
      <LoadMore query={pages} label="Load more events" />
    </ol>
  )
}
