import { useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import type { FileRef, RedactResult, ScanResult, SecretFinding } from '../../../../shared/api'
import { Panel } from '../../components/Panel'
import { call } from '../../lib/api'
import { count } from '../../lib/format'
import { ConfirmDialog } from '../cleanup/ConfirmDialog'
import { confirmsInPage, useWritable } from '../cleanup/use-writable'

/** Leaked secrets: findings by rule and conversation (masked), each a link to its event; redact, or remove for good. */
export function PrivacyPanel({
  file,
  onClose,
  onOpen,
}: {
  file: FileRef
  onClose(): void
  onOpen(conversationId: string, seq: number): void
}) {
  const { fileId } = file
  const queries = useQueryClient()
  const { writable, why } = useWritable(fileId)
  const [scan, setScan] = useState<ScanResult | null>(null)
  const [busy, setBusy] = useState(false)
  const [pii, setPii] = useState(false)
  const [forGood, setForGood] = useState(true)
  const [deleteBackups, setDeleteBackups] = useState(false)
  // Off by default: a VACUUM keeps the chat app from writing for as long as it runs.
  const [vacuum, setVacuum] = useState(false)
  const [confirm, setConfirm] = useState<{ rules: string[] | null; count: number } | null>(null)
  const [result, setResult] = useState<RedactResult | null>(null)
  const [error, setError] = useState<string | null>(null)
  const run = async (work: () => Promise<void>) => {
    setBusy(true)
    setError(null)
    try {
      await work()
    } catch (e) {
      setError((e as Error).message)
    }
    setBusy(false)
  }
  const rescan = () =>
    run(async () => {
      setScan(await call('privacy.scan', { fileId, pii }))
    })
  const redact = (rules: string[] | null, n: number) =>
    run(async () => {
      setConfirm(null)
      const r = await call('privacy.redact', {
        fileId,
        scanId: scan!.scanId,
        rules,
        count: n,
        shred: forGood,
        deleteBackups: forGood && deleteBackups,
        vacuum: forGood && vacuum,
      })
      setResult(r)
      await queries.invalidateQueries({ queryKey: [fileId] })
      setScan(await call('privacy.scan', { fileId, pii }))
    })
  const ask = (rules: string[] | null, n: number) =>
    confirmsInPage() ? setConfirm({ rules, count: n }) : void redact(rules, n)
  const byRule = new Map<string, SecretFinding[]>()
  for (const f of scan?.findings ?? []) byRule.set(f.rule, [...(byRule.get(f.rule) ?? []), f])
  return (
    <Panel label="Privacy" title={`Leaked secrets in ${file.name}`} onClose={onClose}>
      {!writable && <p className="badge warn read-only-note">{why}</p>}
      <p className="muted">
        API keys, tokens, private keys, passwords in URLs and high-entropy values assigned to *_KEY, *_TOKEN
        or password, anywhere: messages, tool-call arguments and results, extra, raw, and streamed chunks put
        together. Secrets are shown masked.
      </p>
      <div className="privacy-actions">
        <label>
          <input type="checkbox" checked={pii} onChange={(e) => setPii(e.target.checked)} /> Also emails and
          phone numbers
        </label>
        <button className="primary" disabled={busy} onClick={() => void rescan()}>
          {scan ? 'Scan again' : 'Scan the history'}
        </button>
      </div>
      {busy && (
        <p className="muted" role="status">
          Working…
        </p>
      )}
      {error && <p className="error">{error}</p>}
      {result && <RedactionReport result={result} />}
      {scan && scan.total === 0 && (
        <p className="result-message" role="status">
          No secrets found in {count(scan.rowsScanned, 'event')}.
        </p>
      )}
      {scan && scan.total > 0 && (
        <>
          <p>
            {count(scan.total, 'finding')} in {count(scan.rowsScanned, 'event')}.
          </p>
          <div className="privacy-actions">
            <label>
              <input type="checkbox" checked={forGood} onChange={(e) => setForGood(e.target.checked)} />{' '}
              Remove for good (no undo; no copy left in the journal, the -wal or the search index)
            </label>
            {forGood && (
              <label>
                <input
                  type="checkbox"
                  checked={deleteBackups}
                  onChange={(e) => setDeleteBackups(e.target.checked)}
                />{' '}
                Also delete full backups that hold them
              </label>
            )}
            {forGood && (
              <label>
                <input type="checkbox" checked={vacuum} onChange={(e) => setVacuum(e.target.checked)} />{' '}
                Rewrite the file if old copies remain in its free space (VACUUM: the chat app cannot write
                while it runs)
              </label>
            )}
            <button
              className="danger"
              disabled={!writable || busy}
              title={why}
              onClick={() => ask(null, scan.total)}
            >
              Redact all {count(scan.total, 'finding')}…
            </button>
          </div>
          {scan.byRule.map((rule) => (
            <section key={rule.rule}>
              <h3>
                {rule.description} <span className="chip">{count(rule.count, 'finding')}</span>{' '}
                <button
                  className="copy"
                  disabled={!writable || busy}
                  title={why}
                  onClick={() => ask([rule.rule], rule.count)}
                >
                  Redact these…
                </button>
              </h3>
              <ul className="findings">
                {(byRule.get(rule.rule) ?? []).map((f, i) => (
                  <li key={`${f.event_id}-${f.column}-${i}`}>
                    <button className="link" onClick={() => onOpen(f.conversation_id, f.seq)}>
                      {f.conversation_id} #{f.seq}
                    </button>{' '}
                    <span className="muted">
                      {f.column === 'chunks' ? 'split across streamed chunks' : f.column}
                    </span>{' '}
                    <code>{f.masked}</code>
                  </li>
                ))}
              </ul>
            </section>
          ))}
          {scan.total > scan.findings.length && (
            <p className="muted">…and {count(scan.total - scan.findings.length, 'more finding')}.</p>
          )}
        </>
      )}
      {confirm && (
        <ConfirmDialog
          title={forGood ? 'Remove these secrets for good?' : 'Redact these secrets?'}
          confirmLabel={forGood ? 'Remove for good' : 'Redact'}
          onCancel={() => setConfirm(null)}
          onConfirm={() => void redact(confirm.rules, confirm.count)}
        >
          <p>
            {count(confirm.count, 'finding')}: each secret becomes [REDACTED:rule] and the text around it
            stays.{' '}
            {forGood
              ? 'This cannot be undone: the old text leaves the file, its journal, its -wal and the search index, and the app checks every byte for a copy.'
              : 'It is recorded in the undo journal first, so it can be undone.'}
          </p>
        </ConfirmDialog>
      )}
    </Panel>
  )
}

function RedactionReport({ result }: { result: RedactResult }) {
  const shred = result.shred
  return (
    <div className="result-message" role="status">
      <p>
        Redacted {count(result.findingsRedacted, 'finding')} in {count(result.rowsChanged, 'event')}.
        {result.skipped.length > 0 && ` ${count(result.skipped.length, 'finding')} left as they were.`}
      </p>
      {shred && (
        <>
          <p className={shred.clean ? 'verified' : 'error'}>
            {shred.clean
              ? "Verified: no copy left in the file, its -wal or the app's data folder."
              : 'A copy remains:'}
          </p>
          {shred.remaining.length > 0 && (
            <ul>
              {shred.remaining.map((r) => (
                <li key={r.path}>
                  <code>{r.path}</code> ({r.what})
                </li>
              ))}
            </ul>
          )}
          {shred.walNote && <p>{shred.walNote}</p>}
          {shred.vacuumNote && <p>{shred.vacuumNote}</p>}
        </>
      )}
    </div>
  )
}
