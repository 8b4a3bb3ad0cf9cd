import { QueryClient, QueryClientProvider, useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect, useState } from 'react'
import type { FileRef } from '../../shared/api'
import { ConversationList } from './features/conversations/ConversationList'
import { FileHeader } from './features/files/FileHeader'
import { ConversationView } from './features/timeline/ConversationView'
import { api, call } from './lib/api'
import { useSidebarWidth } from './lib/use-sidebar-width'

const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: 30_000 } } })

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <Viewer />
    </QueryClientProvider>
  )
}

/** The file this window shows: `?file=` from main, or the first file the server has. */
function useFile(): { file?: FileRef; error?: Error; loaded: boolean } {
  const wanted = new URLSearchParams(location.search).get('file')
  const files = useQuery({ queryKey: ['files'], queryFn: () => call('files.list', {}) })
  const file = files.data?.find((f) => f.fileId === wanted) ?? files.data?.[0]
  return { file, error: files.error ?? undefined, loaded: files.data !== undefined }
}

export interface Opened {
  conversationId: string
  /** A search hit to bring into view. */
  seq: number | null
}

function Viewer() {
  const { file, error, loaded } = useFile()
  // `?conversation=ID` opens one directly (links from notes, the benchmark).
  const [opened, setOpened] = useState<Opened | null>(() => {
    const id = new URLSearchParams(location.search).get('conversation')
    return id ? { conversationId: id, seq: null } : null
  })
  const queries = useQueryClient()
  const sidebar = useSidebarWidth()

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
  if (!loaded) return <p className="state">Loading…</p>
  if (!file) return <p className="state">No file is open. Use File › Open… or start chv serve with a path.</p>
  return (
    <div className="app" style={{ gridTemplateColumns: `${sidebar.width}px 5px 1fr` }}>
      <FileHeader file={file} onOpen={(conversationId, seq) => setOpened({ conversationId, seq })} />
      <aside className="sidebar" aria-label="Conversations">
        <ConversationList
          fileId={file.fileId}
          selected={opened?.conversationId ?? null}
          onSelect={(conversationId) => setOpened({ conversationId, seq: null })}
        />
      </aside>
      <div
        className="resizer"
        role="separator"
        aria-orientation="vertical"
        aria-label="Resize the sidebar"
        {...sidebar.handle}
      />
      <main className="content">
        {opened ? (
          <ConversationView
            key={`${opened.conversationId}:${opened.seq}`}
            fileId={file.fileId}
            opened={opened}
            onClose={() => setOpened(null)}
          />
        ) : (
          <div className="state">
            <p>Choose a conversation on the left.</p>
            <p className="muted">
              ↑/↓ and Enter open conversations, j/k move through events, / searches, Esc closes panels.
            </p>
          </div>
        )}
      </main>
    </div>
  )
}
