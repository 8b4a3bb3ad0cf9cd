// The derived index kept open (as the app and `chv serve` keep it) while the chat app, on the seed's own
// code, streams and compacts into the same file for 20 s and chv compacts, deletes and restores there
// too: when everyone stops, the index says what an index built from scratch says, and the app saw no
// exception.
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { ChatRepository } from '../../../src/main/db/repository'
import type { NewChatEvent } from '../../../src/shared/chat-event'
import { bytesByType, queryConversations } from '../../../src/main/index/conversation-query'
import { DerivedIndex } from '../../../src/main/index/derived-index'
import { CHV } from '../../helpers/chv-cli'
import { tempDir } from '../../helpers/files'
import { run } from '../../helpers/run'

const APP = fileURLToPath(new URL('../../helpers/live_chat_app.py', import.meta.url))
const SECONDS = 20

const FILTERS = [
  {},
  { hasPending: true },
  { hasProblems: true },
  { model: 'gpt-live' },
  { sort: 'first' as const },
]

/** Everything the index answers about the whole file. */
function answers(index: DerivedIndex) {
  return {
    lists: FILTERS.map((f) => queryConversations(index.db, f)),
    types: bytesByType(index.db),
    status: { ...index.status(), pendingConversations: 0 },
  }
}

describe('the derived index while the chat app writes', () => {
  it(
    `follows ${SECONDS} s of the seed streaming and compacting, and chv cleaning up, to what a fresh build says`,
    async () => {
      const db = join(tempDir(), 'chat_history.db')
      const setup = ChatRepository.open(db, { mode: 'create' })
      setup.addEvents(
        Array.from({ length: 200 }, (_, i): NewChatEvent => ({
          conversation_id: `old-${i % 8}`,
          type: i % 5 === 0 ? 'user_message' : 'meta',
          content: `old ${i} `,
          model: 'gpt-old',
          created_at: new Date(Date.now() - 3_600_000 + i),
          extra:
            i % 5 === 0
              ? { request_id: `r${i}` }
              : { kind: 'assistant_delta', user_request_id: `r${i - (i % 5)}` },
        })),
      )
      setup.close()
      const data = tempDir()
      const live = new DerivedIndex(db, join(data, 'search'))
      const app = run('python3', [APP, db, String(SECONDS)])
      let appDone = false
      void app.then(() => (appDone = true))
      const env = { ...process.env, CHV_DATA_DIR: data }
      const ours: string[] = []
      // Our own cleanup, in a loop beside the app: compact old replies, delete one, undo the newest.
      const chv = (...args: string[]) => run(process.execPath, [CHV, ...args], env)
      const cleanup = (async () => {
        for (let i = 0; !appDone; i++) {
          const newest = async () =>
            String(
              (JSON.parse((await chv('snapshots', db, '--json')).stdout) as { entries: { id: number }[] })
                .entries[0]?.id ?? 1,
            )
          const args = [
            ['compact', db, '--min-age', '3'],
            ['rm', db, `old-${i % 8}`, '--yes'],
            ['restore', db, await newest()],
          ][i % 3]!
          const r = await chv(...args)
          ours.push(`${args[0]} ${r.code}`)
          await new Promise((resolve) => setTimeout(resolve, 300))
        }
      })()
      let steps = 0
      while (!appDone) {
        live.noticeChanges()
        live.step(20)
        // Asked as the list asks, mid-write: must answer, never throw.
        queryConversations(live.db, { hasPending: true }, { limit: 50 })
        steps++
        await new Promise((resolve) => setTimeout(resolve, 30))
      }
      await cleanup
      const result = await app
      const report = JSON.parse(result.stdout) as { errors: string[]; wrote: string[] }
      expect(report.errors).toEqual([])
      live.noticeChanges()
      live.buildAll()
      const fresh = new DerivedIndex(db, join(tempDir(), 'search'))
      fresh.buildAll()
      console.log(
        `derived live: ${report.wrote.length} rows by the app, ${steps} steps of ours, chv: ${ours.join(', ')}`,
      )
      expect(ours.length).toBeGreaterThan(3)
      expect(answers(live)).toEqual(answers(fresh))
      live.close()
      fresh.close()
    },
    (SECONDS + 60) * 1000,
  )
})
