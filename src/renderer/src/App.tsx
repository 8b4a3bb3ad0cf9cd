import { QueryClient, QueryClientProvider, useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect, useState } from 'react'
import type { FileRef } from '../../shared/api'
import { ConversationList } from './features/conversations/ConversationList'
import { FileHeader } from './features/files/FileHeader'
import { ConversationView } from './features/timeline/ConversationView'
import { api, call } from './lib/api'

const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: 30_000 } } })

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <Viewer />
    </QueryClientProvider>
  )
}

/** The file this window shows: `?file=` from main, or the first file the server has. */
function useFile(): { file?: FileRef; error?: Error } {
  const wanted = new URLSearchParams(location.search).get('file')
  const files = useQuery({ queryKey: ['files'], queryFn: () => call('files.list', {}) })
  const file = files.data?.find((f) => f.fileId === wanted) ?? files.data?.[0]
  return { file, error: files.error ?? undefined }
}

function Viewer() {
  const { file, error } = useFile()
  const [conversationId, setConversationId] = useState<string | null>(null)
  const queries = useQueryClient()

  useEffect(() => {
    if (file) document.title = `${file.name} — Chat History Viewer`
  }, [file])

  // Another program wrote to the file: refetch what we show (keys start with the file id).
  useEffect(
    () =>
      api.onFileChanged(({ fileId }) => {
        void queries.invalidateQueries({ queryKey: [fileId] })
      }),
    [queries],
  )

  // A database dropped on the window opens in its own window (desktop app only: a browser page cannot
  // learn a dropped file's path).
  useEffect(() => {
    const open = api.openDroppedFile
    if (!open) return
    const allow = (event: DragEvent) => event.preventDefault()
    const drop = (event: DragEvent) => {
      event.preventDefault()
      for (const dropped of event.dataTransfer?.files ?? []) void open(dropped)
    }
    window.addEventListener('dragover', allow)
    window.addEventListener('drop', drop)
    return () => {
      window.removeEventListener('dragover', allow)
      window.removeEventListener('drop', drop)
    }
  }, [])

  if (error) return <p className="state error">Could not reach the app: {error.message}</p>
  if (!file) return <p className="state">Loading…</p>
  return (
    <div className="app">
      <FileHeader file={file} />
      <aside className="sidebar" aria-label="Conversations">
        <ConversationList fileId={file.fileId} selected={conversationId} onSelect={setConversationId} />
      </aside>
      <main className="content">
        {conversationId ? (
          <ConversationView key={conversationId} fileId={file.fileId} conversationId={conversationId} />
        ) : (
          <p className="state">Choose a conversation on the left.</p>
        )}
      </main>
    </div>
  )
}
