import { useQuery } from '@tanstack/react-query'
import type { LintFinding } from '../../../../shared/api'
import { call } from '../../lib/api'

/** What a user can do about a finding, where there is something to do: a finding is not a dead end. */
const WHAT_TO_DO: Partial<Record<LintFinding['kind'], string>> = {
  pending_deltas:
    'Clean up… (top right) merges these chunks into one reply, as the chat app does when a reply ends.',
  call_without_result:
    'The chat app stored no result for this call (the tool failed, or the turn was cut short).',
  result_without_call:
    'No call with this id is in this conversation: the call was deleted, or the result was stored under another conversation.',
  invalid_json:
    'The Python chat app stops reading this conversation at such a cell (json.loads fails); here it is shown as text under Inspect.',
  seq_gap: 'Compaction leaves such gaps; nothing to do.',
}

interface Props {
  fileId: string
  conversationId: string
  /** Shows the event a finding is about, in the timeline. */
  onShowEvent(seq: number): void
}

/** The integrity findings of one conversation, each a link to its event. */
export function ProblemsView({ fileId, conversationId, onShowEvent }: Props) {
  const findings = useQuery({
    queryKey: [fileId, 'lint', conversationId],
    queryFn: () => call('lint.run', { fileId, conversationId }),
  })
  if (findings.error) return <p className="state error">{findings.error.message}</p>
  if (!findings.data) return <p className="state">Checking…</p>
  if (findings.data.length === 0) return <p className="state">No problems found in this conversation.</p>
  return (
    <ol className="findings">
      {findings.data.map((f, i) => (
        <li key={i} className={f.severity}>
          <span className={`badge ${f.severity === 'problem' ? 'error' : ''}`}>{f.severity}</span>{' '}
          <button className="link seq" onClick={() => onShowEvent(f.seq)}>
            event #{f.seq}
          </button>{' '}
          <code>{f.kind}</code> {f.message}
          {WHAT_TO_DO[f.kind] && <p className="muted what-to-do">{WHAT_TO_DO[f.kind]}</p>}
        </li>
      ))}
    </ol>
  )
}
