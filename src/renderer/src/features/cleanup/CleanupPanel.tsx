import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import type { CompactionPlan, FileRef } from '../../../../shared/api'
import { Panel } from '../../components/Panel'
import { call } from '../../lib/api'
import { formatBytes, timeAgo } from '../../lib/format'
import { ConfirmDialog } from './ConfirmDialog'
import { confirmsInPage, useWritable } from './use-writable'

/** Compaction of pending streamed replies, clearing everything, and snapshots to undo either. */
export function CleanupPanel({ file, onClose }: { file: FileRef; onClose(): void }) {
  const { fileId } = file
  const queries = useQueryClient()
  const { writable, why } = useWritable(fileId)
  const [includeStreaming, setIncludeStreaming] = useState(false)
  const [confirm, setConfirm] = useState<'compact' | 'clear' | 'vacuum' | null>(null)
  const [message, setMessage] = useState<string | null>(null)
  const plan = useQuery({
    queryKey: [fileId, 'cleanup-plan'],
    queryFn: () => call('cleanup.plan', { fileId }),
  })
  const space = useQuery({ queryKey: [fileId, 'free-space'], queryFn: () => call('vacuum.plan', { fileId }) })
  const snapshots = useQuery({
    queryKey: [fileId, 'snapshots'],
    queryFn: () => call('snapshots.list', { fileId }),
  })
  const done = async (text: string) => {
    setConfirm(null)
    setMessage(text)
    await queries.invalidateQueries({ queryKey: [fileId] })
  }
  const run = async (work: () => Promise<string>) => {
    try {
      await done(await work())
    } catch (error) {
      setConfirm(null)
      setMessage(`${(error as Error).message}`)
    }
  }
  const compact = (p: CompactionPlan) =>
    run(async () => {
      const r = await call('cleanup.apply', { fileId, plan: p, includeStreaming })
      return `Compacted ${r.compacted} replies (${r.chunksRemoved} chunks removed)${r.skippedStreaming ? `; ${r.skippedStreaming} still streaming were left alone` : ''}. A snapshot was taken first.`
    })
  const clear = () =>
    run(async () => {
      const p = await call('delete.plan', { fileId, conversationIds: null })
      const r = await call('delete.apply', { fileId, plan: p })
      return `Deleted ${r.rowsRemoved} events in ${r.conversations} conversations${r.rowsKept ? ` (${r.rowsKept} written meanwhile were kept)` : ''}. A snapshot was taken first.`
    })
  const vacuum = () =>
    run(async () => {
      const r = await call('vacuum.apply', { fileId })
      return `Vacuumed: the file went from ${formatBytes(r.bytesBefore)} to ${formatBytes(r.bytesAfter)}.`
    })
  const undo = (path: string) =>
    run(async () => {
      const r = await call('snapshots.undo', { fileId, snapshotPath: path })
      return `Restored ${r.rowsRestored} events and removed ${r.rowsRemoved}${r.seqClashes ? `; ${r.seqClashes} seq numbers are now used twice` : ''}.`
    })
  const groups = plan.data?.groups ?? []
  const toCompact = groups.filter((g) => includeStreaming || !g.streaming)
  return (
    <Panel label="Clean up" title={`Clean up ${file.name}`} onClose={onClose}>
      {!writable && <p className="badge warn read-only-note">{why}</p>}
      {message && <p className="result-message">{message}</p>}
      <section>
        <h4>Pending streamed replies</h4>
        {plan.error && <p className="error">{plan.error.message}</p>}
        {plan.data && groups.length === 0 && (
          <p className="muted">None: every streamed reply has its message.</p>
        )}
        {groups.length > 0 && (
          <>
            <p className="muted">
              {groups.length} replies, {plan.data!.chunks} chunks, {formatBytes(plan.data!.bytes)} of text.
              Compacting turns each into one assistant message, as the chat app&apos;s own compaction does.
            </p>
            <ol className="groups">
              {groups.map((g) => (
                <li key={`${g.conversation_id}/${g.user_request_id}`}>
                  <code>{g.conversation_id}</code> <code className="request-id">{g.user_request_id}</code>{' '}
                  <span className="chip">{g.chunks} chunks</span>{' '}
                  {g.streaming && <span className="badge warn">still streaming</span>}{' '}
                  <span className="muted">{timeAgo(g.newest_unix)}</span>
                  <pre className="preview">{g.preview}</pre>
                </li>
              ))}
            </ol>
            <label>
              <input
                type="checkbox"
                checked={includeStreaming}
                onChange={(e) => setIncludeStreaming(e.target.checked)}
              />{' '}
              Also replies still streaming (newest chunk under a minute old)
            </label>
            <button
              className="primary"
              disabled={!writable || toCompact.length === 0}
              title={why}
              onClick={() => (confirmsInPage() ? setConfirm('compact') : void compact(plan.data!))}
            >
              Compact {toCompact.length} replies…
            </button>
          </>
        )}
      </section>
      <section>
        <h4>Snapshots</h4>
        {snapshots.data?.length === 0 && <p className="muted">None yet: one is taken before every change.</p>}
        <ol className="snapshots">
          {snapshots.data?.map((s) => (
            <li key={s.path}>
              <span className="chip">{s.operation}</span> {new Date(s.created_at).toLocaleString()} ·{' '}
              {s.conversations} conversations · {formatBytes(s.bytes)}{' '}
              <button className="copy" disabled={!writable} title={why} onClick={() => void undo(s.path)}>
                Undo
              </button>
            </li>
          ))}
        </ol>
      </section>
      <section>
        <h4>Space</h4>
        {space.data && (
          <p className="muted">
            {formatBytes(space.data.fileBytes)} in all, {formatBytes(space.data.freeBytes)} of it free pages
            that only a VACUUM gives back to the disk.
          </p>
        )}
        <button
          className="copy"
          disabled={!writable || !space.data?.freeBytes}
          title={why}
          onClick={() => (confirmsInPage() ? setConfirm('vacuum') : void vacuum())}
        >
          Reclaim {formatBytes(space.data?.freeBytes ?? 0)} (VACUUM)…
        </button>
      </section>
      <section>
        <h4>Everything</h4>
        <button className="danger" disabled={!writable} title={why} onClick={() => setConfirm('clear')}>
          Delete every conversation…
        </button>
      </section>
      {confirm === 'compact' && plan.data && (
        <ConfirmDialog
          title="Compact streamed replies?"
          confirmLabel="Compact"
          onCancel={() => setConfirm(null)}
          onConfirm={() => void compact(plan.data!)}
        >
          <p>
            {toCompact.length} replies will each become one assistant message and their chunks will be
            deleted. Chunks that arrive after this plan are kept. A snapshot is taken first, so this can be
            undone.
          </p>
        </ConfirmDialog>
      )}
      {confirm === 'vacuum' && (
        <ConfirmDialog
          title="Reclaim free space?"
          confirmLabel="Vacuum"
          onCancel={() => setConfirm(null)}
          onConfirm={() => void vacuum()}
        >
          <p>
            The file is rewritten without its free pages. While that runs no other program can write to it:
            stop the chat app first.
          </p>
        </ConfirmDialog>
      )}
      {confirm === 'clear' && (
        <ConfirmDialog
          title="Delete every conversation?"
          confirmLabel="Delete everything"
          typeToConfirm={file.name}
          onCancel={() => setConfirm(null)}
          onConfirm={() => void clear()}
        >
          <p>Every event of every conversation in {file.name} will be deleted. A snapshot is taken first.</p>
        </ConfirmDialog>
      )}
    </Panel>
  )
}
