// What the conversation list asks of the derived index as it scrolls: a page of 100 with the total and
// facet counts at the top, rows only in the middle and at the end (a drag of the scrollbar lands
// anywhere), filtered or not, and the position of a date (go to a date); each against the first page
// with no index.
// Runnable alone: `npx tsx bench/conversation-list.ts [EVENTS] [CONVERSATIONS]` (1,000,000 and 10,000 by
// default, the file run.ts makes; 200,000 100,000 gives a list of 100,000 conversations). The history is
// made in .bench-cache once and reused; the index is built into .bench-cache/conversation-list.
import { mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { ChatRepository } from '../src/main/db/repository'
import { positionOf } from '../src/main/index/conversation-position'
import {
  pageOfConversations,
  queryConversations,
  type ConversationFilters,
} from '../src/main/index/conversation-query'
import { DerivedIndex } from '../src/main/index/derived-index'
import { cachedHistory } from './generate'
import { printTable, timeIt, type Row } from './measure'

/** The bound for whole-file answers: within 2.5× the first page with no index. */
const RATIO = 2.5
/** The list's page (use-indexed-rows.ts). */
const PAGE = 100

export function conversationListRows(source: string, cacheDir: string): Row[] {
  const dir = join(cacheDir, 'conversation-list')
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  const index = new DerivedIndex(source, dir)
  const started = performance.now()
  index.buildAll()
  console.log(`index built in ${((performance.now() - started) / 1000).toFixed(1)} s`)
  const firstPage = timeIt(11, () => ChatRepository.open(source).listConversationPage(PAGE))
  const all = queryConversations(index.db, {}, { limit: 1 })
  const total = all.total
  const model = all.facets.models[0]?.value ?? null
  const newest = all.conversations[0]?.last_activity_unix ?? 0
  const rows: Row[] = []
  const against = (name: string, ours: number): Row => ({
    name,
    ours,
    baseline: firstPage,
    baselineName: 'first page of 100, no index',
    target: `≤ ${RATIO}× the first page`,
    met: ours <= RATIO * firstPage,
  })
  const lists: [string, ConversationFilters, number][] = [
    ['all', {}, total],
    ['by first activity', { sort: 'first' }, total],
    [`model ${model}`, { model }, queryConversations(index.db, { model }, { limit: 1 }).total],
    [
      'has tool calls',
      { hasTools: true },
      queryConversations(index.db, { hasTools: true }, { limit: 1 }).total,
    ],
  ]
  // The top page brings the total and facet counts; pages further down are rows only (as the list asks).
  for (const [name, filters, matching] of lists) {
    rows.push(
      against(
        `list: ${name} (${matching} conversations), page of ${PAGE} at the top (+ total, facets)`,
        timeIt(7, () => queryConversations(index.db, filters, { offset: 0, limit: PAGE })),
      ),
    )
    for (const [where, offset] of [
      ['middle', Math.floor(matching / 2)],
      ['end', Math.max(0, matching - PAGE)],
    ] as const)
      rows.push(
        against(
          `list: ${name}, page of ${PAGE} in the ${where}`,
          timeIt(7, () => pageOfConversations(index.db, filters, { offset, limit: PAGE })),
        ),
      )
  }
  // Go to a date half way back through the list's time.
  const oldest = queryConversations(index.db, {}, { offset: total - 1, limit: 1 }).conversations[0]
  const at = Math.round((newest + (oldest?.last_activity_unix ?? newest)) / 2)
  for (const [name, filters] of [
    ['all', {}],
    ['by first activity', { sort: 'first' }],
    [`model ${model}`, { model }],
    ['text', { text: 'conv-00' }],
  ] as [string, ConversationFilters][])
    rows.push(
      against(
        `go to a date: ${name} (offset ${positionOf(index.db, filters, at).offset})`,
        timeIt(7, () => positionOf(index.db, filters, at)),
      ),
    )
  index.close()
  return rows
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const events = Number(process.argv[2] ?? 1_000_000)
  const conversations = Number(process.argv[3] ?? 10_000)
  const cacheDir = join(import.meta.dirname, '..', '.bench-cache')
  mkdirSync(cacheDir, { recursive: true })
  const source = cachedHistory(cacheDir, {
    events,
    conversations,
    bigConversationEvents: Math.floor(events / 20),
  })
  printTable(conversationListRows(source, cacheDir))
}
