import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import type { CompactionPlan, FileRef, JournalEntry } from '../../../../shared/api'
import { Panel } from '../../components/Panel'
import { call } from '../../lib/api'
import { count, exactTime, formatBytes, timeAgo } from '../../lib/format'
import { ConfirmDialog } from './ConfirmDialog'
import { confirmsInPage, useWritable } from './use-writable'

/** Compaction of pending streamed replies, VACUUM, clearing everything, and the undo journal. */
export function CleanupPanel({ file, onClose }: { file: FileRef; onClose(): void }) {
  const { fileId } = file
  const queries = useQueryClient()
  const { writable, why } = useWritable(fileId)
  const [confirm, setConfirm] = useState<'compact' | 'clear' | 'vacuum' | null>(null)
  const [message, setMessage] = useState<{ text: string; entryId?: number | null } | null>(null)
  // The plan lists the newest 200 replies; its totals count them all (a file can have 200,000).
  const plan = useQuery({
    queryKey: [fileId, 'cleanup-plan'],
    queryFn: () => call('cleanup.plan', { fileId, groupsLimit: 200 }),
  })
  const space = useQuery({ queryKey: [fileId, 'free-space'], queryFn: () => call('vacuum.plan', { fileId }) })
  const log = useQuery({ queryKey: [fileId, 'undo-log'], queryFn: () => call('undo.list', { fileId }) })
  const run = async (work: () => Promise<{ text: string; entryId?: number | null }>) => {
    try {
      setMessage(await work())
    } catch (error) {
      setMessage({ text: (error as Error).message })
    }
    setConfirm(null)
    await queries.invalidateQueries({ queryKey: [fileId] })
  }
  const compact = (p: CompactionPlan) =>
    run(async () => {
      const r = await call('cleanup.apply', {
        fileId,
        planId: p.planId,
        replies: p.replies,
        chunks: p.chunks,
      })
      const left = [
        r.skippedStreaming &&
          `${count(r.skippedStreaming, 'reply', 'replies')} still streaming were left alone`,
        r.changedSincePlan && `${count(r.changedSincePlan, 'reply', 'replies')} changed meanwhile`,
      ].filter(Boolean)
      return {
        text: `Compacted ${count(r.compacted, 'reply', 'replies')} (${count(r.chunksRemoved, 'chunk')} removed)${left.length ? `; ${left.join(', ')}` : ''}.`,
        entryId: r.entryId,
      }
    })
  const clear = () =>
    run(async () => {
      const p = await call('delete.plan', { fileId, conversationIds: null })
      const r = await call('delete.apply', {
        fileId,
        planId: p.planId,
        all: true,
        conversations: p.conversationsTotal,
        rows: p.rows,
      })
      return {
        text: `Deleted ${count(r.rowsRemoved, 'event')} in ${count(r.conversations, 'conversation')}${r.rowsKept ? ` (${count(r.rowsKept, 'event')} written meanwhile were kept)` : ''}. A full backup was taken first.`,
        entryId: r.entryId,
      }
    })
  const vacuum = () =>
    run(async () => {
      const r = await call('vacuum.apply', { fileId })
      return {
        text: `Vacuumed: the file went from ${formatBytes(r.bytesBefore)} to ${formatBytes(r.bytesAfter)}. A full backup was taken first.`,
      }
    })
  const backup = () =>
    run(async () => {
      const r = await call('backup.create', { fileId })
      return { text: `Backed up to ${r.path} (${formatBytes(r.bytes)}).` }
    })
  const undo = (entryId: number) =>
    run(async () => {
      const r = await call('undo.apply', { fileId, entryId })
      if (r.alreadyUndone) return { text: 'That change was undone already; nothing was changed.' }
      const skipped = r.skipped.map((s) => `${s.conversation_id}: ${s.reason}`).join('; ')
      return {
        text: `Restored ${count(r.rowsRestored, 'event')} and removed ${count(r.rowsRemoved, 'event')}.${skipped ? ` Left as they are: ${skipped}.` : ''}`,
      }
    })
  const p = plan.data
  return (
    <Panel label="Clean up" title={`Clean up ${file.name}`} onClose={onClose}>
      {!writable && <p className="badge warn read-only-note">{why}</p>}
      {message && (
        <p className="result-message" role="status">
          {message.text}
          {message.entryId != null && (
            <button className="copy undo" disabled={!writable} onClick={() => void undo(message.entryId!)}>
              Undo
            </button>
          )}
        </p>
      )}
      <section>
        <h3>Pending streamed replies</h3>
        {plan.error && <p className="error">{plan.error.message}</p>}
        {!p && !plan.error && <p className="muted">Looking for replies whose chunks were never compacted…</p>}
        {p && p.groupsTotal === 0 && <p className="muted">None: every streamed reply has its message.</p>}
        {p && p.groupsTotal > 0 && (
          <>
            <p className="muted">
              {count(p.replies, 'reply', 'replies')} ready to compact ({count(p.chunks, 'chunk')},{' '}
              {formatBytes(p.bytes)} of text)
              {p.streaming > 0 && `; ${count(p.streaming, 'reply', 'replies')} still streaming, left alone`}.
              Each becomes one assistant message where it was streamed, as the chat app&apos;s own compaction
              does.
            </p>
            <ol className="groups">
              {p.groups.map((g) => (
                <li key={`${g.conversation_id}/${g.user_request_id}`}>
                  <code>{g.conversation_id}</code> <code className="request-id">{g.user_request_id}</code>{' '}
                  <span className="chip">{count(g.chunks, 'chunk')}</span>{' '}
                  {g.streaming && <span className="badge warn">still streaming</span>}{' '}
                  <span className="muted">{timeAgo(g.newest_unix)}</span>
                  <pre className="preview">{g.preview}</pre>
                </li>
              ))}
            </ol>
            {p.groupsTotal > p.groups.length && (
              <p className="muted">
                …and {count(p.groupsTotal - p.groups.length, 'more reply', 'more replies')}.
              </p>
            )}
            <button
              className="primary"
              disabled={!writable || p.replies === 0}
              title={why}
              onClick={() => (confirmsInPage() ? setConfirm('compact') : void compact(p))}
            >
              Compact {count(p.replies, 'reply', 'replies')}…
            </button>
          </>
        )}
      </section>
      <section>
        <h3>Changes you can undo</h3>
        {log.data?.note && <p className="badge warn">{log.data.note}</p>}
        {log.data?.entries.length === 0 && (
          <p className="muted">None yet: every change is recorded here before it is made.</p>
        )}
        <ol className="snapshots">
          {log.data?.entries.map((e) => (
            <li key={e.id}>
              <span className="chip">{e.operation}</span> {exactTime(Date.parse(e.created_at) / 1000)} ·{' '}
              {e.conversationCount === 1 ? (
                <code>{e.conversations[0]}</code>
              ) : (
                count(e.conversationCount, 'conversation')
              )}{' '}
              · −{count(e.rowsRemoved, 'event')}
              {e.rowsAdded > 0 && ` +${count(e.rowsAdded, 'event')}`} <EntryState entry={e} />{' '}
              {e.state !== 'undone' && e.state !== 'damaged' && e.state !== 'shredded' && (
                <button className="copy" disabled={!writable} title={why} onClick={() => void undo(e.id)}>
                  Undo
                </button>
              )}
            </li>
          ))}
        </ol>
      </section>
      <section>
        <h3>Full backups</h3>
        <p className="muted">
          A copy of the whole file in the app&apos;s data folder, taken before clearing everything and before
          a VACUUM{log.data?.backups.length ? '' : '; none yet'}.
        </p>
        <ol className="snapshots">
          {log.data?.backups.map((b) => (
            <li key={b.path}>
              <span className="chip">{b.label}</span> {exactTime(Date.parse(b.created_at) / 1000)} ·{' '}
              {formatBytes(b.bytes)} · <code>{b.path}</code>
            </li>
          ))}
        </ol>
        <button className="copy" onClick={() => void backup()}>
          Back up now
        </button>
      </section>
      <section>
        <h3>Space</h3>
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
          {space.data
            ? `Reclaim ${formatBytes(space.data.freeBytes)} (VACUUM)…`
            : 'Reclaim free space (VACUUM)…'}
        </button>
      </section>
      <section>
        <h3>Everything</h3>
        <button className="danger" disabled={!writable} title={why} onClick={() => setConfirm('clear')}>
          Delete every conversation…
        </button>
      </section>
      {confirm === 'compact' && p && (
        <ConfirmDialog
          title="Compact streamed replies?"
          confirmLabel="Compact"
          onCancel={() => setConfirm(null)}
          onConfirm={() => void compact(p)}
        >
          <p>
            {count(p.replies, 'reply', 'replies')} will each become one assistant message, where it was
            streamed, and their {count(p.chunks, 'chunk')} will be deleted. Chunks that arrive after this plan
            are kept. It is recorded in the undo journal first, so it can be undone.
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
            A full backup is taken, then the file is rewritten without its free pages. While that runs no
            other program can write to it: stop the chat app first.
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
          <p>
            Every event of every conversation in {file.name} will be deleted. A full backup is taken and every
            row is recorded in the undo journal first.
          </p>
        </ConfirmDialog>
      )}
    </Panel>
  )
}

const STATE_WORDS: Record<JournalEntry['state'], string> = {
  applied: '',
  interrupted: 'interrupted',
  stopped: 'stopped part-way',
  undone: 'undone',
  partly_undone: 'partly undone',
  damaged: 'damaged record',
  shredded: 'removed for good',
}

function EntryState({ entry }: { entry: JournalEntry }) {
  const words = STATE_WORDS[entry.state]
  return words ? <span className={entry.state === 'damaged' ? 'badge error' : 'badge'}>{words}</span> : null
}
