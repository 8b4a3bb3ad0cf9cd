import { useQuery } from '@tanstack/react-query'
import { call } from '../../lib/api'

/** The integrity findings of one conversation. */
export function ProblemsView({ fileId, conversationId }: { fileId: string; conversationId: string }) {
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
          <span className="seq">#{f.seq}</span> <code>{f.kind}</code> {f.message}
        </li>
      ))}
    </ol>
  )
}
