import { useQuery } from '@tanstack/react-query'
import type { FileRef } from '../../../../shared/api'
import { call, isFileGone } from '../../lib/api'
import { formatBytes } from '../../lib/format'
import { SearchBox } from '../search/SearchBox'
import { CleanupPanel } from '../cleanup/CleanupPanel'
import { StoragePanel } from '../report/StoragePanel'
import { PrivacyPanel } from '../privacy/PrivacyPanel'
import { memo, useState } from 'react'

export const FileHeader = memo(function FileHeader({
  file,
  conversationId = null,
  onOpen,
}: {
  file: FileRef
  /** The conversation open, if one is (search can be kept to it). */
  conversationId?: string | null
  /** Opens an event; `find` is the query found there (a search hit's), to find and mark in it. */
  onOpen(conversationId: string, seq: number, find?: string): void
}) {
  const [panel, setPanel] = useState<'cleanup' | 'storage' | 'privacy' | null>(null)
  const info = useQuery({
    queryKey: [file.fileId, 'info'],
    queryFn: () => call('files.info', { fileId: file.fileId }),
  })
  return (
    <header className="file-header">
      <h1 title={file.path}>{file.name}</h1>
      {info.data && (
        <>
          <span className="badge">{info.data.readOnly ? 'read-only' : 'read-write'}</span>
          <span className="muted">{formatBytes(info.data.size)}</span>
          {info.data.walBytes > 0 && (
            <span className="muted" title="Changes in the -wal file, not yet checkpointed into the database">
              WAL {formatBytes(info.data.walBytes)}
            </span>
          )}
          {!info.data.schema.hasCreatedAtUnix && <span className="badge warn">old schema</span>}
        </>
      )}
      {/* A file that is gone is said once, by FileGone, with a way to reopen it. */}
      {info.error && !isFileGone(info.error) && <span className="badge error">{info.error.message}</span>}
      <span className="spacer" />
      <button className="copy" onClick={() => setPanel('storage')}>
        Storage
      </button>
      <button className="copy" onClick={() => setPanel('cleanup')}>
        Clean up…
      </button>
      <button className="copy" onClick={() => setPanel('privacy')}>
        Privacy…
      </button>
      <SearchBox fileId={file.fileId} conversationId={conversationId} onOpen={onOpen} />
      {panel === 'cleanup' && <CleanupPanel file={file} onClose={() => setPanel(null)} />}
      {panel === 'storage' && <StoragePanel file={file} onClose={() => setPanel(null)} />}
      {panel === 'privacy' && (
        <PrivacyPanel
          file={file}
          onClose={() => setPanel(null)}
          onOpen={(conversation, seq) => {
            setPanel(null)
            onOpen(conversation, seq)
          }}
        />
      )}
    </header>
  )
})
