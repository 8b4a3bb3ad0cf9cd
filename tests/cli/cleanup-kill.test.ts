// kill -9 at random moments of compact, clear, rm and restore on a file with 5,000 pending replies:
// after each, the file is intact and either unchanged or brought back exactly by undoing the newest
// entry of its journal; then the operation runs again to its end.
import { copyFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { ChatRepository } from '../../src/main/db/repository'
import { chv, killChvAfter } from '../helpers/chv-cli'
import { tempDir } from '../helpers/files'
import { rowsOf } from '../helpers/rows'

const REPLIES = 5000

/** 5,000 pending replies of 2 chunks in 50 conversations, as a crashed chat app leaves them. */
function pendingFile(): string {
  const path = join(tempDir(), 'template.db')
  const repo = ChatRepository.open(path, { mode: 'create' })
  const old = new Date(Date.UTC(2026, 0, 1))
  repo.addEvents(
    Array.from({ length: REPLIES * 2 }, (_, i) => ({
      conversation_id: `c${Math.floor(i / 2) % 50}`,
      type: 'meta',
      content: `chunk ${i % 2} of ${Math.floor(i / 2)} `,
      created_at: old,
      extra: { kind: 'assistant_delta', user_request_id: `r${Math.floor(i / 2)}` },
    })),
  )
  repo.db.pragma('wal_checkpoint(TRUNCATE)')
  repo.close()
  return path
}

function integrity(path: string): string {
  const db = new Database(path, { readonly: true })
  try {
    return db.pragma('integrity_check', { simple: true }) as string
  } finally {
    db.close()
  }
}

const newestEntry = (dataDir: string, db: string) =>
  (JSON.parse(chv(dataDir, 'snapshots', db, '--json').stdout) as { entries: { id: number; state: string }[] })
    .entries[0]

describe('kill -9 during cleanup', () => {
  it('at 24 random moments of compact, clear, rm and restore: unchanged, or undone exactly by the newest entry', async () => {
    const template = pendingFile()
    const original = rowsOf(template)
    // Each with how long it runs here (ms, from process start): a kill lands anywhere in that.
    const operations: Record<string, { args: (db: string) => string[]; runs: number }> = {
      compact: { args: (db) => ['compact', db], runs: 3000 },
      clear: { args: (db) => ['clear', db, '--yes'], runs: 700 },
      rm: {
        args: (db) => ['rm', db, ...Array.from({ length: 25 }, (_, i) => `c${i * 2}`), '--yes'],
        runs: 600,
      },
      restore: { args: (db) => ['restore', db, '1'], runs: 2500 },
    }
    const seen = { unchanged: 0, undone: 0 }
    for (let round = 0; round < 24; round++) {
      const name = Object.keys(operations)[round % 4]!
      const data = tempDir()
      const db = join(tempDir(), 'chat_history.db')
      copyFileSync(template, db)
      // A restore is killed while it undoes a whole compaction.
      if (name === 'restore') expect(chv(data, 'compact', db).code).toBe(0)
      const { args, runs } = operations[name]!
      await killChvAfter(data, args(db), 100 + Math.floor(Math.random() * runs))
      expect(integrity(db)).toBe('ok')
      if (name !== 'restore' && rowsOf(db).join('\n') === original.join('\n')) {
        seen.unchanged++
      } else {
        const entry = newestEntry(data, db)
        expect(entry, `round ${round} (${name}) changed the file but left no entry`).toBeDefined()
        expect(chv(data, 'restore', db, String(entry!.id)).code).toBe(0)
        expect(
          rowsOf(db).join('\n') === original.join('\n'),
          `round ${round} (${name}): undo is not exact`,
        ).toBe(true)
        seen.undone++
      }
      // The last round of each: run again, to its end (compaction then leaves nothing pending).
      if (round >= 20 && name !== 'restore') {
        expect(chv(data, ...args(db)).code).toBe(0)
        if (name === 'compact')
          expect(chv(data, 'compact', db).stdout).toBe('Compacted 0 replies (0 chunks).\n')
      }
    }
    console.log(`kill -9: ${seen.unchanged} runs left the file unchanged, ${seen.undone} were undone exactly`)
    expect(seen.undone).toBeGreaterThan(0)
  }, 600_000)
})
