import { useQuery } from '@tanstack/react-query'
import { call } from '../../lib/api'

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
        </li>
      ))}
    </ol>
  )
}
