import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import type { FileRef } from '../../../../shared/api'
import { Panel } from '../../components/Panel'
import { call } from '../../lib/api'
import { count, formatBytes } from '../../lib/format'
import { ConfirmDialog } from '../cleanup/ConfirmDialog'

/** Where the file's bytes go, by event type and conversation, and what cleanup would give back. */
export function StoragePanel({ file, onClose }: { file: FileRef; onClose(): void }) {
  const stats = useQuery({
    queryKey: [file.fileId, 'storage'],
    queryFn: () => call('storage.stats', { fileId: file.fileId }),
  })
  const data = stats.data
  const total = data ? data.byType.reduce((n, t) => n + t.content + t.extra + t.raw + t.tool_calls, 0) : 0
  return (
    <Panel label="Storage" title={`Storage of ${file.name}`} onClose={onClose}>
      {stats.error && <p className="error">{stats.error.message}</p>}
      {!data && !stats.error && <p className="muted">Counting…</p>}
      {data && (
        <>
          <p className="storage-summary">
            {formatBytes(data.fileBytes)} on disk, {count(data.events, 'event')}. Compaction would merge{' '}
            {count(data.compaction.chunks, 'chunk row')} into {count(data.compaction.replies, 'message')};
            VACUUM would give back {formatBytes(data.freeBytes)} of free pages.
          </p>
          <h3>By event type</h3>
          <table className="storage">
            <thead>
              <tr>
                <th>type</th>
                <th>events</th>
                <th>content</th>
                <th>extra</th>
                <th>raw</th>
                <th>tool_calls</th>
                <th>share</th>
              </tr>
            </thead>
            <tbody>
              {data.byType.map((t) => {
                const bytes = t.content + t.extra + t.raw + t.tool_calls
                return (
                  <tr key={t.type}>
                    <td>{t.type}</td>
                    <td>{t.events.toLocaleString()}</td>
                    <td>{formatBytes(t.content)}</td>
                    <td>{formatBytes(t.extra)}</td>
                    <td>{formatBytes(t.raw)}</td>
                    <td>{formatBytes(t.tool_calls)}</td>
                    <td>
                      <meter
                        min={0}
                        max={1}
                        value={total ? bytes / total : 0}
                        aria-label={`${t.type} share`}
                      />
                    </td>
                  </tr>
                )
              })}
            </tbody>
          </table>
          <h3>Largest conversations</h3>
          <ol className="largest">
            {data.largest.map((c) => (
              <li key={c.conversation_id}>
                <code>{c.conversation_id}</code> {formatBytes(c.bytes)} · {count(c.events, 'event')}
              </li>
            ))}
          </ol>
        </>
      )}
      <IndexSection file={file} />
    </Panel>
  )
}

/**
 * The app's own indexes of the file (the list's derived index and the search index, in the app's data
 * folder): their size beside the file's, and "Delete index" (a cache: rebuilt on demand).
 */
function IndexSection({ file }: { file: FileRef }) {
  const queries = useQueryClient()
  const [asking, setAsking] = useState(false)
  const [outcome, setOutcome] = useState<{ error?: string; deleted?: boolean } | null>(null)
  const info = useQuery({
    queryKey: [file.fileId, 'info'],
    queryFn: () => call('files.info', { fileId: file.fileId }),
  })
  const status = useQuery({
    queryKey: [file.fileId, 'index-status'],
    queryFn: () => call('index.status', { fileId: file.fileId }),
    // While the list's index builds, its size grows: ask again until it is done.
    refetchInterval: (q) => (q.state.data?.state === 'building' ? 700 : false),
  })
  const data = status.data
  const size = data ? data.bytes + data.searchBytes : 0
  const fileBytes = info.data?.size
  const remove = async () => {
    setAsking(false)
    try {
      const { deleted } = await call('index.delete', { fileId: file.fileId })
      setOutcome({ deleted })
    } catch (error) {
      setOutcome({ error: (error as Error).message })
    }
    // Everything read from the indexes (the list, its counts, search) is asked again, and rebuilds them.
    await queries.invalidateQueries({ queryKey: [file.fileId] })
  }
  return (
    <section className="index-section" aria-labelledby="index-heading">
      <h3 id="index-heading">Indexes</h3>
      {status.error && <p className="error">{status.error.message}</p>}
      {data && (
        <p className="index-summary">
          The app's indexes of this file take {formatBytes(size)}
          {fileBytes ? ` (${share(size, fileBytes)} the file's ${formatBytes(fileBytes)})` : ''}: the list's
          index {formatBytes(data.bytes)}
          {data.state === 'building'
            ? ` (building, ${Math.floor((100 * data.indexed) / Math.max(data.total, 1))}%)`
            : ''}
          , the search index{' '}
          {data.searchBytes > 0 ? formatBytes(data.searchBytes) : 'not built yet (built on the first search)'}
          . They are kept in the app's data folder, never in the file.{' '}
          <button className="copy" onClick={() => setAsking(true)}>
            Delete index…
          </button>
        </p>
      )}
      {!data && !status.error && <p className="muted">Reading the indexes…</p>}
      {outcome?.error && <p className="error">{outcome.error}</p>}
      {outcome && !outcome.error && (
        <p className="muted index-deleted" role="status">
          {outcome.deleted ? 'Indexes deleted: they are rebuilt on demand.' : 'There was no index to delete.'}
        </p>
      )}
      {asking && (
        <ConfirmDialog
          title="Delete this file's indexes?"
          confirmLabel="Delete index"
          onConfirm={() => void remove()}
          onCancel={() => setAsking(false)}
        >
          <p>
            They are a cache kept in the app's data folder ({formatBytes(size)}); the file itself is not
            changed. They are rebuilt on demand: the list's index when it is next needed, the search index on
            the next search. On a big file that takes a while.
          </p>
        </ConfirmDialog>
      )}
    </section>
  )
}

/** "12% of" or, for a small file whose indexes outgrow it, "13× the size of". */
const share = (part: number, whole: number): string => {
  const p = (100 * part) / whole
  if (p > 100) return `${Math.round(p / 100)}× the size of`
  return `${p < 10 ? p.toFixed(1) : Math.round(p)}% of`
}
