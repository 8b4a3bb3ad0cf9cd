import { QueryClient, QueryClientProvider, useQuery, useQueryClient } from '@tanstack/react-query'
import { useCallback, useEffect, type ReactNode } from 'react'
import type { FileRef } from '../../shared/api'
import { ConversationList } from './features/conversations/ConversationList'
import { FileHeader } from './features/files/FileHeader'
import { ConversationView } from './features/timeline/ConversationView'
import { api, call } from './lib/api'
import { useAddress } from './lib/use-address'
import { SIDEBAR_MAX, SIDEBAR_MIN, useSidebarWidth } from './lib/use-sidebar-width'
import { FileGone } from './features/files/FileGone'
import { UndoNotice } from './features/cleanup/undo-notice'

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

function Viewer() {
  const { file, error, loaded } = useFile()
  const { place, go } = useAddress()
  const queries = useQueryClient()
  const sidebar = useSidebarWidth()

  // The open conversation in the title too: history menus, tabs and bookmarks then say which place it is.
  useEffect(() => {
    if (file)
      document.title = [place.conversation, file.name, 'Chat History Viewer'].filter(Boolean).join(' — ')
  }, [file, place.conversation])

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

  // Stable, so the list and the header (memoized) do not render again as the timeline moves.
  const open = useCallback(
    (conversation: string, event: number | null = null, find = '') =>
      go({ conversation, event, tab: 'timeline', find }),
    [go],
  )

  if (error) return <FullPageState>Could not reach the app: {error.message}</FullPageState>
  if (!loaded) return <FullPageState>Loading…</FullPageState>
  if (!file)
    return <FullPageState>No file is open. Use File › Open… or start chv serve with a path.</FullPageState>
  return (
    <div className="app" style={{ gridTemplateColumns: `${sidebar.width}px 1fr` }}>
      <FileHeader file={file} conversationId={place.conversation} onOpen={open} />
      <FileGone fileId={file.fileId} />
      <UndoNotice />
      <aside className="sidebar" aria-label="Conversations">
        <ConversationList fileId={file.fileId} selected={place.conversation} onSelect={open} />
        {/* Inside the sidebar's landmark, on its edge: a screen reader finds it with what it resizes. */}
        <div
          className="resizer"
          role="separator"
          tabIndex={0}
          aria-orientation="vertical"
          aria-label="Sidebar width"
          aria-valuemin={SIDEBAR_MIN}
          aria-valuemax={SIDEBAR_MAX}
          aria-valuenow={sidebar.width}
          title="Drag, or use ← and → (Home and End for the limits)"
          {...sidebar.handle}
        />
      </aside>
      <main className="content">
        {place.conversation ? (
          <ConversationView
            key={place.conversation}
            fileId={file.fileId}
            place={{ ...place, conversation: place.conversation }}
            go={go}
            onClose={() => go({ conversation: null, event: null })}
          />
        ) : (
          <div className="state">
            <h2 className="state-title">Choose a conversation on the left.</h2>
            <p className="muted">
              In the list, ↑/↓ move, Enter opens and Space picks; j/k move through events, ↑/↓ scroll them,
              Home and End show the first and the newest; / searches, Esc closes panels.
            </p>
          </div>
        )}
      </main>
    </div>
  )
}

/** A state that replaces the whole window, inside a main landmark so screen readers find it. */
function FullPageState({ children }: { children: ReactNode }) {
  return (
    <main className="state">
      <h1 className="state-title">Chat History Viewer</h1>
      <p>{children}</p>
    </main>
  )
}
