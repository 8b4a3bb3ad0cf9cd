// Leaked secrets at scale on the 1M-event copy: a whole-file scan (events per second), then 100 fresh
// secrets redacted, and removed for good with the byte-for-byte check of the file and data folder.
import { randomBytes } from 'node:crypto'
import { mkdirSync, rmSync } from 'node:fs'
import type { ChatRepository } from '../src/main/db/repository'
import { timeIt, type Row } from './measure'

export function privacyRows(repo: ChatRepository, dataDir: string): Row[] {
  rmSync(dataDir, { recursive: true, force: true })
  mkdirSync(dataDir, { recursive: true })
  let events = 0
  const scanMs = timeIt(1, () => repo.scanSecrets({}, () => events++))
  const planted = (round: number) =>
    Array.from({ length: 100 }, (_, i) => ({
      conversation_id: `conv-${String(i * 97 + 1).padStart(5, '0')}`,
      type: 'user_message',
      content: `round ${round}: my key is ghp_${randomBytes(18).toString('hex')} thanks`,
    }))
  const findings = (round: number) => {
    repo.addEvents(planted(round))
    return repo.scanSecrets({
      conversations: planted(round).map((e) => e.conversation_id),
      rules: ['github-token'],
    })
  }
  const first = findings(1)
  const redactMs = timeIt(1, () => repo.redact(first, { dataDir }))
  const second = findings(2)
  let clean = false
  const shredMs = timeIt(1, () => {
    clean = repo.redact(second, { dataDir, shred: true }).shred?.clean ?? false
  })
  rmSync(dataDir, { recursive: true, force: true })
  return [
    {
      name: `privacy: scan every event of the file (${events.toLocaleString('en-US')} events; ${Math.round(events / (scanMs / 1000)).toLocaleString('en-US')} events/s)`,
      ours: scanMs,
      baseline: 60_000,
      baselineName: 'one minute',
    },
    {
      name: `privacy: redact ${first.length} findings (journaled, undoable)`,
      ours: redactMs,
      baseline: 1000,
      baselineName: 'one second',
    },
    {
      name: `privacy: redact ${second.length} findings for good, with the byte check of the 1 GB file and data folder (${clean ? 'no copy left' : 'a copy remains'})`,
      ours: shredMs,
      baseline: 60_000,
      baselineName: 'one minute',
    },
  ]
}
