// The chat app (the seed's own code) streaming into several conversations for 30 s while chv compacts,
// deletes, clears and restores the same file in a loop: no duplicate seq, no row lost or brought back,
// no exception in the app, an intact file.
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { journalPath } from '../../src/main/db/journal'
import { ChatRepository } from '../../src/main/db/repository'
import { tempDir } from '../helpers/files'
import { duplicateSeqs } from '../helpers/rows'
import { run } from '../helpers/run'
import { CHV } from '../helpers/chv-cli'

const APP = fileURLToPath(new URL('../helpers/live_chat_app.py', import.meta.url))
const SECONDS = 30

/** Ids our journal holds as removed by a step that was applied and not undone. */
function removedByUs(dataDir: string, db: string): Set<string> {
  const journal = new Database(journalPath(dataDir, db), { readonly: true })
  try {
    const ids = journal
      .prepare(
        `SELECT i.id FROM images i JOIN steps s ON s.entry_id = i.entry_id AND s.step = i.step
         WHERE i.change = 'removed' AND s.applied = 1 AND s.undone = 0`,
      )
      .pluck()
      .all() as string[]
    return new Set(ids)
  } finally {
    journal.close()
  }
}

describe('cleanup while the chat app runs', () => {
  it(
    `${SECONDS} s of the seed streaming and compacting while chv compacts, deletes, clears and restores`,
    async () => {
      const data = tempDir()
      const db = join(tempDir(), 'chat_history.db')
      // Replies an earlier run of the app left pending, ten minutes ago.
      const setup = ChatRepository.open(db, { mode: 'create' })
      const old = new Date(Date.now() - 10 * 60_000)
      setup.addEvents(
        Array.from({ length: 40 }, (_, i) => ({
          conversation_id: `old-${i % 4}`,
          type: 'meta',
          content: `old ${i} `,
          created_at: old,
          extra: { kind: 'assistant_delta', user_request_id: `old-r${Math.floor(i / 4)}` },
        })),
      )
      setup.close()
      const app = run('python3', [APP, db, String(SECONDS)])
      let appDone = false
      void app.then(() => (appDone = true))
      const env = { ...process.env, CHV_DATA_DIR: data }
      const chv = (...args: string[]) => run(process.execPath, [CHV, ...args, '--keep', '100000'], env)
      const outcomes: Record<string, number> = {}
      const failures: string[] = []
      for (let round = 0; !appDone; round++) {
        const listed = await chv('ls', db, '--json')
        const conversations = (JSON.parse(listed.stdout || '[]') as { conversation_id: string }[]).map(
          (c) => c.conversation_id,
        )
        const op = ['compact', 'rm', 'restore', 'compact', 'clear', 'restore'][round % 6]!
        let args: string[]
        if (op === 'compact') args = ['compact', db, '--min-age', '3']
        else if (op === 'rm')
          args = ['rm', db, conversations[round % Math.max(conversations.length, 1)] ?? 'none', '--yes']
        else if (op === 'clear') args = ['clear', db, '--yes', '--no-backup']
        else {
          const log = JSON.parse((await chv('snapshots', db, '--json')).stdout) as {
            entries: { id: number; state: string }[]
          }
          const entry = log.entries.find((e) => e.state !== 'undone')
          if (!entry) continue
          args = ['restore', db, String(entry.id)]
        }
        const r = await chv(...args)
        const key = `${op} exit ${r.code}`
        outcomes[key] = (outcomes[key] ?? 0) + 1
        if (r.code !== 0 && !/There is no conversation/.test(r.stderr))
          failures.push(`${args.join(' ')}: ${r.stderr}`)
      }
      const result = await app
      const report = JSON.parse(result.stdout) as {
        wrote: string[]
        removed: string[]
        errors: string[]
        pending: string[]
      }
      console.log(
        `live run: ${report.wrote.length} rows written by the app, ${report.pending.length} replies left pending; ours: ${JSON.stringify(outcomes)}`,
      )
      expect(result.code).toBe(0)
      expect(report.errors).toEqual([])
      expect(failures).toEqual([])
      const file = new Database(db, { readonly: true })
      expect(file.pragma('integrity_check', { simple: true })).toBe('ok')
      const present = new Set(file.prepare('SELECT id FROM chat_events').pluck().all() as string[])
      file.close()
      expect(duplicateSeqs(db)).toEqual([])
      const ours = removedByUs(data, db)
      const appRemoved = new Set(report.removed)
      // Every row the app wrote and did not remove itself is in the file, or in an entry we can undo.
      const lost = report.wrote.filter((id) => !appRemoved.has(id) && !present.has(id) && !ours.has(id))
      expect(lost).toEqual([])
      // No row the app removed itself has come back.
      expect(report.removed.filter((id) => present.has(id))).toEqual([])
      // Some of the app's pending replies were compacted by us (the journal names their request ids).
      const journal = new Database(journalPath(data, db), { readonly: true })
      const compactedByUs = journal
        .prepare("SELECT DISTINCT user_request_id FROM steps WHERE kind = 'compact' AND applied = 1")
        .pluck()
        .all() as string[]
      journal.close()
      expect(compactedByUs.filter((u) => report.pending.includes(u)).length).toBeGreaterThan(0)
    },
    (SECONDS + 60) * 1000,
  )
})
