// The derived index (src/main/index) at scale: whole-file answers from it against the first page with no
// index; its build rate, size, catch-up after new rows and the peak memory of a process building it;
// and search over text and tool calls (totals, relevance). Each of the targets is a row with
// OK / not met. Called from run.ts (1M events, or --events N); runnable alone:
// `npx tsx bench/derived-index.ts [EVENTS] [CONVERSATIONS] [--no-search]` (100,000; 1 per 100 events;
// the file is made in .bench-cache once, as run.ts makes it, and reused).
import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { ChatRepository } from '../src/main/db/repository'
import { storageStats } from '../src/main/db/storage'
import { statsFromIndex } from '../src/main/index/index-stats'
import { queryConversations, type ConversationFilters } from '../src/main/index/conversation-query'
import { DerivedIndex } from '../src/main/index/derived-index'
import { derivedFileName } from '../src/main/index/derived-schema'
import { fileIdentity } from '../src/main/db/open-database'
import { find } from '../src/main/index/search-find'
import { SearchIndex } from '../src/main/search/search-index'
import { BIG_CONVERSATION_ID, cachedHistory } from './generate'
import { printTable, timeEach, timeIt, type Row } from './measure'
import { peakMemoryKb } from '../src/main/peak-memory'

const sizeOf = (path: string): number => {
  try {
    return statSync(path).size
  } catch {
    return 0
  }
}

/**
 * Builds the derived index of `path` into `dir` in a fresh process (the build is done once, and its
 * memory is that process's alone): its time, and its peak memory against a process that does nothing.
 */
function buildInChild(path: string, dir: string): { buildMs: number; peakMb: number; bareMb: number } {
  const run = (args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', ...args], {
      encoding: 'utf8',
      cwd: join(import.meta.dirname, '..'),
    })
  const r = run([join(import.meta.dirname, 'derived-index.ts'), '--build-only', path, dir])
  const bare = run(['-e', `process.stdout.write(String((${peakMemoryKb.toString()})()))`])
  const peak = /max-rss-kb (\d+)/.exec(r.stdout)?.[1]
  const ms = /build-ms ([\d.]+)/.exec(r.stdout)?.[1]
  if (!peak || !ms) throw new Error(`building in a child process failed: ${r.stderr}`)
  return { buildMs: Number(ms), peakMb: Number(peak) / 1024, bareMb: Number(bare.stdout) / 1024 }
}

/** At most 2.5× the first page with no index: the target for whole-file answers. */
const RATIO = 2.5

export function derivedIndexRows(
  source: string,
  cacheDir: string,
  { search: withSearch = true }: { search?: boolean } = {},
): Row[] {
  const rows: Row[] = []
  const dir = join(cacheDir, 'derived-index')
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  const events = ChatRepository.open(source)
    .db.prepare('SELECT count(*) FROM chat_events')
    .pluck()
    .get() as number

  // The first page with no index at all: what every other answer is held against.
  const firstPage = timeIt(11, () => ChatRepository.open(source).listConversationPage(100))
  rows.push({
    name: 'derived: first page of 100, no index',
    ours: firstPage,
    baseline: firstPage,
    baselineName: 'itself',
    target: '< 50 ms',
    met: firstPage < 50,
  })

  // Build from nothing in a fresh process (time and peak memory); this one then opens it, current.
  const { buildMs, peakMb, bareMb } = buildInChild(source, dir)
  const built = new DerivedIndex(source, dir)
  built.buildAll()
  const indexBytes = sizeOf(built.indexPath) + sizeOf(`${built.indexPath}-wal`)
  console.log(
    `derived index: built in ${(buildMs / 1000).toFixed(1)} s = ${Math.round(events / (buildMs / 1000))} events/s; ` +
      `${(indexBytes / 1e6).toFixed(1)} MB = ${((100 * indexBytes) / sizeOf(source)).toFixed(1)}% of the file`,
  )
  rows.push({
    name: `derived: build, events per second (${events} events)`,
    ours: events / (buildMs / 1000),
    baseline: events / (buildMs / 1000),
    baselineName: 'itself (a rate, not ms)',
    target: 'reported',
    met: null,
  })
  rows.push({
    name: 'derived: index size, % of the file',
    ours: (100 * indexBytes) / sizeOf(source),
    baseline: 100,
    baselineName: 'the file (100%)',
    target: 'reported',
    met: null,
  })

  // Whole-file answers from the built index, against the first page measured again now (the build
  // read the whole file: both sides warm).
  const pageNow = timeIt(11, () => ChatRepository.open(source).listConversationPage(100))
  const against = Math.min(firstPage, pageNow)
  console.log(
    `first page of 100, no index: ${firstPage.toFixed(1)} ms before the build, ${pageNow.toFixed(1)} ms after`,
  )
  const some = queryConversations(built.db, {}, { limit: 1 }).conversations[0]
  const model = queryConversations(built.db).facets.models[0]?.value ?? null
  const tool = queryConversations(built.db).facets.tools[0]?.value ?? null
  const mid = some?.last_activity_unix ?? 0
  const cases: [string, ConversationFilters][] = [
    ['the whole list, last activity first', {}],
    ['the whole list, by first activity', { sort: 'first' }],
    ['filter: text', { text: 'conv-00' }],
    [`filter: model ${model}`, { model }],
    [`filter: tool ${tool}`, { tool }],
    ['filter: a month', { sinceUnix: mid - 30 * 86400, untilUnix: mid }],
    ['filter: has tool calls', { hasTools: true }],
    ['filter: has pending', { hasPending: true }],
    ['filter: has problems', { hasProblems: true }],
  ]
  const repo = ChatRepository.open(source)
  const againstFirstPage = (name: string, ours: number): Row => ({
    name,
    ours,
    baseline: against,
    baselineName: 'first page, no index',
    target: `≤ ${RATIO}× the first page`,
    met: ours <= RATIO * against,
  })
  // All of it as objects (chv ls --json), and a page of 500 with the total and facet counts (the UI).
  for (const [name, filters] of cases) {
    for (const [what, page] of [
      ['all', {}],
      ['page of 500', { limit: 500 }],
    ] as const) {
      rows.push(
        againstFirstPage(
          `derived: ${name}, ${what} (+ total, facet counts)`,
          timeIt(7, () => queryConversations(built.db, filters, page)),
        ),
      )
    }
  }
  // What chv stats and the Storage panel answer: the file's page counts asked of the file.
  rows.push(
    againstFirstPage(
      'derived: stats (chv stats, Storage panel)',
      timeIt(7, () => statsFromIndex(built.db, repo.freeSpace())),
    ),
  )
  rows.push({
    name: 'without the index: the whole list with count and preview',
    ours: timeIt(3, () => repo.listConversationSummaries()),
    baseline: firstPage,
    baselineName: 'first page, no index',
  })
  rows.push({
    name: 'without the index: storageStats (chv stats)',
    ours: timeIt(1, () => storageStats(repo)),
    baseline: firstPage,
    baselineName: 'first page, no index',
  })
  repo.close()
  const builtPath = built.indexPath
  built.close()

  // Catch-up after 1,000 new rows, on a copy, with a copy of the built index under the copy's key (the
  // same rows: it opens current, as building it again would leave it, without a second build).
  const copy = join(cacheDir, 'derived-copy.db')
  for (const suffix of ['', '-wal', '-shm']) rmSync(copy + suffix, { force: true })
  copyFileSync(source, copy)
  copyFileSync(builtPath, join(dir, derivedFileName(copy, fileIdentity(copy))))
  const copyIndex = new DerivedIndex(copy, dir)
  copyIndex.buildAll()
  const writer = ChatRepository.open(copy, { mode: 'write' })
  let round = 0
  // New rows in 20 new conversations, and in the longest one (a chat that goes on: never read whole).
  for (const [label, conversation] of [
    ['20 new conversations', (tag: number, i: number) => `catch-up-${tag}-${i % 20}`],
    ['the longest conversation', () => BIG_CONVERSATION_ID],
  ] as const) {
    rows.push({
      name: `derived: catch up after 1,000 new rows in ${label}`,
      ours: timeEach(3, () => {
        const tag = round++
        writer.addEvents(
          Array.from({ length: 1000 }, (_, i) => ({
            conversation_id: conversation(tag, i),
            type: i % 2 ? 'assistant_message' : 'user_message',
            content: `row ${i}`,
            model: i % 2 ? 'gpt-4o' : null,
          })),
        )
        return () => {
          copyIndex.noticeChanges()
          copyIndex.buildAll()
        }
      }),
      baseline: 100,
      baselineName: '100 ms',
      target: '< 100 ms',
    })
    rows.at(-1)!.met = rows.at(-1)!.ours < 100
  }
  writer.close()
  copyIndex.close()
  for (const suffix of ['', '-wal', '-shm']) rmSync(copy + suffix, { force: true })

  rows.push({
    name: 'derived: peak memory of a process building it, MB',
    ours: peakMb,
    baseline: bareMb,
    baselineName: 'node --import tsx -e "" (start-up alone)',
    target: '< 300 MB',
    met: peakMb < 300,
  })
  if (!withSearch) return rows

  // Search over text and tool calls: the search index (with its detail table) built once, then queries.
  const searchDir = join(cacheDir, 'search') // run.ts built it already: reused
  const search = new SearchIndex(source, searchDir)
  const searchBuildMs = timeIt(1, () => {
    while (!search.step(200));
  })
  console.log(`search index: built or brought up to date in ${(searchBuildMs / 1000).toFixed(1)} s`)
  for (const [text, order, label] of [
    ['sqlite', 'relevance', 'relevance, a word in most events'],
    ['sqlite', 'newest', 'newest 50 with the total, a word in most events'],
    ['search', 'newest', 'newest 50 with the total, a tool name'],
    ['"tool call" OR zebrafish', 'newest', 'a phrase OR a word in none'],
  ] as const) {
    rows.push({
      name: `search.find: ${label}`,
      ours: timeIt(5, () => find(search.database, { text, order, limit: 50 })),
      baseline: timeIt(5, () => search.search({ text, limit: 50 })),
      baselineName: 'search.query (newest 50, text only, no total)',
      target: order === 'relevance' ? '< 200 ms' : '',
    })
    if (order === 'relevance') rows.at(-1)!.met = rows.at(-1)!.ours < 200
  }
  search.close()
  return rows
}

// Alone: `--build-only PATH DIR` (the child that reports peak memory), or the rows on a smaller file.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  if (process.argv[2] === '--build-only') {
    const start = performance.now()
    const index = new DerivedIndex(process.argv[3]!, process.argv[4]!)
    index.buildAll()
    index.close()
    process.stdout.write(`build-ms ${performance.now() - start}\n`)
    process.stdout.write(`max-rss-kb ${peakMemoryKb()}\n`)
  } else {
    const args = process.argv.slice(2).filter((a) => !a.startsWith('--'))
    const events = Number(args[0] ?? 100_000)
    const cache = join(import.meta.dirname, '../.bench-cache')
    mkdirSync(cache, { recursive: true })
    const conversations = Number(args[1] ?? Math.max(10, Math.round(events / 100)))
    const source = cachedHistory(cache, {
      events,
      conversations,
      bigConversationEvents: Math.round(events / 20),
    })
    console.log(`${source}: ${(sizeOf(source) / 1e6).toFixed(0)} MB, ${conversations} conversations`)
    printTable(derivedIndexRows(source, cache, { search: !process.argv.includes('--no-search') }))
  }
}
