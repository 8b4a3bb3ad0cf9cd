import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import type { IndexStatus } from '../../../../shared/api'
import { call } from '../../lib/api'

/**
 * Whether the file's derived index has been built (asking also starts building it), with its progress
 * until then. Once ready it stays ready for this file: later changes are caught up within a query's
 * answer (its `status`), and the list must not fall back to plain pages for them.
 */
export function useIndexReady(fileId: string): { ready: boolean; status: IndexStatus | undefined } {
  const [readyFor, setReadyFor] = useState<string | null>(null)
  const ready = readyFor === fileId
  const status = useQuery({
    queryKey: [fileId, 'index.status', 'list'],
    queryFn: () => call('index.status', { fileId }),
    enabled: !ready,
    refetchInterval: (q) => (q.state.data?.state === 'ready' ? false : 500),
  })
  if (!ready && status.data?.state === 'ready') setReadyFor(fileId)
  return { ready: ready || status.data?.state === 'ready', status: status.data }
}
