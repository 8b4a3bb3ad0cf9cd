import { useQuery } from '@tanstack/react-query'
import type { FileRef } from '../../../../shared/api'
import { Panel } from '../../components/Panel'
import { call } from '../../lib/api'
import { count, formatBytes } from '../../lib/format'

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
      {!data && !stats.error && <p className="muted">Reading every row…</p>}
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
    </Panel>
  )
}
