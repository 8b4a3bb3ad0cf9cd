// npm run bench: medians of our operations against baselines measured in the same run, on a generated
// 1,000,000-event file (10,000 conversations, one of 50,000 events) in the seed's schema and indexes.
// `npm run bench -- --events 10000000`: a file of that many events instead (1 conversation per 100
// events, the long one 1/20 of them), made once in .bench-cache (a 10M file is ~10 GB).
import { execFileSync, spawnSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { copyFileSync, mkdirSync, rmSync, statSync } from 'node:fs'
import { cpus } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import Database from 'better-sqlite3'
import { INSERT_EVENT_SQL, toInsertRow } from '../src/main/db/event-row'
import { ChatRepository } from '../src/main/db/repository'
import type { NewChatEvent } from '../src/shared/chat-event'
import { BIG_CONVERSATION_ID, cachedHistory } from './generate'
import { SearchIndex } from '../src/main/search/search-index'
import { printTable, timeEach, timeIt, type Row } from './measure'
import { uiRows } from './ui'
import { cleanupRows } from './cleanup'
import { conversationListRows } from './conversation-list'
import { peakMemoryKb } from '../src/main/peak-memory'
import { privacyRows } from './privacy'

const CACHE = join(import.meta.dirname, '../.bench-cache')
const CLI = join(import.meta.dirname, '../out/cli/chv.js')
const SEED_LIST_SQL = `SELECT conversation_id FROM (SELECT conversation_id, MAX(created_at_unix) AS last_time
  FROM chat_events GROUP BY conversation_id) ORDER BY last_time DESC`
const SEED_EVENTS_SQL = 'SELECT * FROM chat_events WHERE conversation_id = ? ORDER BY seq'

const event = (conversation_id: string, i: number, extra = {}): NewChatEvent => ({
  conversation_id,
  type: 'assistant_message',
  role: 'assistant',
  content: `reply ${i} ${'lorem ipsum '.repeat(20)}`,
  model: 'gpt-4o',
  extra: { user_request_id: `u${i}`, ...extra },
})

/** The seed's add_event: a connection per call, duplicate check, MAX(seq) + 1, insert, commit, close. */
function seedAddEvent(path: string, e: NewChatEvent, id = randomUUID()): void {
  const db = new Database(path)
  const requestId = e.extra?.request_id
  if (
    requestId &&
    db
      .prepare('SELECT 1 FROM chat_events WHERE conversation_id = ? AND request_id = ?')
      .get(e.conversation_id, requestId)
  ) {
    db.close()
    return
  }
  const seq = db
    .prepare('SELECT COALESCE(MAX(seq), 0) + 1 FROM chat_events WHERE conversation_id = ?')
    .pluck()
    .get(e.conversation_id) as number
  db.prepare(INSERT_EVENT_SQL).run({ ...toInsertRow(e, seq), id })
  db.close()
}

/** The seed's compact_deltas pattern on its own connection (delete, then insert, one commit). */
function seedCompact(path: string, conversationId: string, userRequestId: string, content: string): void {
  const db = new Database(path)
  db.exec('BEGIN')
  db.prepare(
    `DELETE FROM chat_events WHERE conversation_id = ? AND type = 'meta'
     AND json_extract(extra, '$.kind') = 'assistant_delta' AND json_extract(extra, '$.user_request_id') = ?`,
  ).run(conversationId, userRequestId)
  const seq = db
    .prepare('SELECT COALESCE(MAX(seq), 0) + 1 FROM chat_events WHERE conversation_id = ?')
    .pluck()
    .get(conversationId) as number
  db.prepare(INSERT_EVENT_SQL).run(
    toInsertRow(
      {
        ...event(conversationId, 0),
        content,
        extra: { user_request_id: userRequestId, request_id: `assistant:${userRequestId}` },
      },
      seq,
    ),
  )
  db.exec('COMMIT')
  db.close()
}

const deltas = (conversationId: string, userRequestId: string, n: number): NewChatEvent[] =>
  Array.from({ length: n }, (_, i) => ({
    conversation_id: conversationId,
    type: 'meta',
    content: `chunk ${i} `,
    extra: { kind: 'assistant_delta', user_request_id: userRequestId },
  }))

/** Per-event time of the seed's add_event itself, run by Python on the same file (tests/seed). */
function pythonSeedPerEvent(path: string, n: number): number {
  const code = `import asyncio, sys, time
sys.path.insert(0, sys.argv[1])
from seed.models import ChatEvent
from seed.sqlite_repo import SQLiteRepo
async def main():
    repo = SQLiteRepo(sys.argv[2])
    await repo._ensure_initialized()
    start = time.perf_counter()
    for i in range(int(sys.argv[3])):
        await repo.add_event(ChatEvent(conversation_id="bench-insert-python", type="assistant_message", content="reply %d" % i))
    print((time.perf_counter() - start) * 1000 / int(sys.argv[3]))
asyncio.run(main())`
  const out = execFileSync(
    'python3',
    ['-c', code, join(import.meta.dirname, '../tests/seed'), path, String(n)],
    {
      encoding: 'utf8',
    },
  )
  return Number(out.trim())
}

/** Builds (or brings up to date) the search index of `db` in `dir`; returns the time it took. */
function buildSearchIndex(db: string, dir: string): number {
  const start = performance.now()
  const index = new SearchIndex(db, dir)
  while (!index.step(20));
  index.close()
  return performance.now() - start
}

async function main(): Promise<void> {
  mkdirSync(CACHE, { recursive: true })
  console.log(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`)
  const { values } = parseArgs({ options: { events: { type: 'string' } } })
  const events = Number(values.events ?? 1_000_000)
  if (!Number.isInteger(events / 100) || events < 10_000)
    throw new Error('--events takes a multiple of 100, at least 10000')
  const conversations = events / 100
  const count = (n: number) => n.toLocaleString('en-US')
  console.log(`Generating (or reusing) the ${count(events)}-event file…`)
  const source = cachedHistory(CACHE, {
    events,
    conversations,
    bigConversationEvents: events / 20,
  })
  console.log(`${source}: ${(statSync(source).size / 1e6).toFixed(0)} MB`)
  const rows: Row[] = []

  // Reads, on the file as generated, opened read-only as the app does.
  {
    const repo = ChatRepository.open(source)
    const raw = new Database(source, { readonly: true })
    const seedList = timeIt(3, () => raw.prepare(SEED_LIST_SQL).all())
    rows.push({
      name: 'list: first page of 100',
      ours: timeIt(11, () => ChatRepository.open(source).listConversationPage(100)),
      baseline: seedList,
      target: '< 50 ms',
    })
    rows.push({
      name: `list: all ${count(conversations)} ids (listConversations)`,
      ours: timeIt(3, () => repo.listConversations()),
      baseline: seedList,
      target: '< 300 ms',
    })
    rows.push({
      name: `list: all ${count(conversations)} with count and preview`,
      ours: timeIt(3, () => repo.listConversationSummaries()),
      baseline: seedList,
    })
    let seq = 0
    rows.push({
      name: `events: a page of 200 anywhere in ${count(events / 20)}`,
      ours: timeIt(21, () =>
        repo.getEventPage(BIG_CONVERSATION_ID, {
          afterSeq: (seq = (seq + 12_347) % (events / 20 - 200)),
          limit: 200,
          contentChars: 2000,
        }),
      ),
      baseline: timeIt(3, () => raw.prepare(SEED_EVENTS_SQL).all(BIG_CONVERSATION_ID)),
      baselineName: "the seed's get_events (all)",
      target: '< 5 ms',
    })
    rows.push({
      name: `events: all ${count(events / 20)} (getEvents)`,
      ours: timeIt(3, () => repo.getEvents(BIG_CONVERSATION_ID)),
      baseline: timeIt(3, () => raw.prepare(SEED_EVENTS_SQL).all(BIG_CONVERSATION_ID)),
    })
    const bareNode = timeIt(5, () => execFileSync(process.execPath, ['-e', '']))
    rows.push({
      name: 'fresh process: open + first page (chv ls --limit 100)',
      ours: timeIt(7, () =>
        spawnSync(process.execPath, [CLI, 'ls', source, '--limit', '100', '--json'], { encoding: 'utf8' }),
      ),
      baseline: bareNode,
      baselineName: 'node -e "" (start-up alone)',
      target: '< 150 ms',
    })
    repo.close()
    raw.close()
  }

  // Export of every event, streamed: time, and the process's peak memory against a plain Node process.
  {
    const out = join(CACHE, 'bench-export.json')
    const run = () => {
      const r = spawnSync(process.execPath, [CLI, 'export', source, '--format', 'json', '-o', out], {
        encoding: 'utf8',
        env: { ...process.env, CHV_REPORT_MAX_RSS: '1' },
      })
      return Number(/max-rss-kb (\d+)/.exec(r.stderr)?.[1] ?? NaN) / 1024
    }
    let peakMb = 0
    const ms = timeIt(1, () => (peakMb = run()))
    const bare = spawnSync(
      process.execPath,
      ['-e', `process.stderr.write(String((${peakMemoryKb.toString()})()))`],
      {
        encoding: 'utf8',
      },
    )
    rmSync(out, { force: true })
    rows.push({
      name: `export: all ${count(events)} events as JSON (streamed), ms`,
      ours: ms,
      baseline: 60_000,
      baselineName: 'one minute',
      target: '',
    })
    rows.push({
      name: 'export: peak memory of that process, MB',
      ours: peakMb,
      baseline: Number(bare.stderr) / 1024,
      baselineName: 'node -e "" (start-up alone)',
      target: 'constant',
    })
  }

  // Search: an FTS5 index in our own folder, against a LIKE scan of the file.
  {
    const dir = join(CACHE, 'search')
    const built = buildSearchIndex(source, dir)
    console.log(`Search index: ${(built / 1000).toFixed(1)} s to build or bring up to date`)
    const index = new SearchIndex(source, dir)
    const raw = new Database(source, { readonly: true })
    const like = (word: string) => () =>
      raw
        .prepare(`SELECT rowid FROM chat_events WHERE content LIKE ? ORDER BY rowid DESC LIMIT 50`)
        .all(`%${word}%`)
    for (const [word, label] of [
      ['sqlite', 'a word in most events'],
      ['zebrafish', 'a word in none'],
    ] as const) {
      rows.push({
        name: `search: newest 50 hits for ${label}`,
        ours: timeIt(7, () => index.search({ text: word, limit: 50 })),
        baseline: timeIt(3, like(word)),
        baselineName: 'LIKE scan of the file',
        target: '< 50 ms',
      })
    }
    index.close()
    raw.close()
  }

  rows.push(...(await import('./derived-index')).derivedIndexRows(source, CACHE))
  // What the list asks as it scrolls: pages anywhere, filtered, and a date's position.
  rows.push(...conversationListRows(source, CACHE))
  // Writes, on a copy.
  const copy = join(CACHE, 'bench-write-copy.db')
  for (const suffix of ['', '-wal', '-shm']) rmSync(copy + suffix, { force: true })
  copyFileSync(source, copy)
  {
    const repo = ChatRepository.open(copy, { mode: 'write' })
    let i = 0
    const perEvent = (n: number, add: () => unknown) =>
      timeIt(1, () => {
        for (let k = 0; k < n; k++) add()
      }) / n
    const seedPattern = perEvent(300, () => seedAddEvent(copy, event('bench-insert-seed', i++)))
    const ours = perEvent(3000, () => repo.addEvent(event('bench-insert-ours', i++)))
    rows.push({
      name: 'insert: addEvent, one at a time (per event)',
      ours,
      baseline: seedPattern,
      baselineName: "the seed's pattern in Node (connection per call)",
      target: '≥ 8× faster',
    })
    rows.push({
      name: 'insert: addEvent, one at a time (per event)',
      ours,
      baseline: pythonSeedPerEvent(copy, 300),
      baselineName: "the seed's own Python code (stdlib sqlite3)",
    })
    const bareOne = repo.db.prepare(INSERT_EVENT_SQL)
    rows.push({
      name: 'insert: addEvent, one at a time (per event)',
      ours,
      baseline: perEvent(3000, () => bareOne.run(toInsertRow(event('bench-insert-bare', i), ++i))),
      baselineName: 'bare prepared INSERT, one commit each (the floor)',
    })
    const batch = Array.from({ length: 20_000 }, (_, k) => event(`bench-batch-${k % 100}`, k))
    const bare = repo.db.prepare(INSERT_EVENT_SQL)
    let run = 0
    rows.push({
      name: 'insert: addEvents, 20,000 in one transaction',
      // Both sides get their rows made before the clock starts; ours still serializes them (timed).
      ours: timeEach(3, () => {
        const tag = run++
        const events = batch.map((e) => ({ ...e, conversation_id: `${e.conversation_id}-ours-${tag}` }))
        return () => repo.addEvents(events)
      }),
      baseline: timeEach(3, () => {
        const tag = run++
        const prepared = batch.map((e, k) =>
          toInsertRow({ ...e, conversation_id: `${e.conversation_id}-bare-${tag}` }, k + 1),
        )
        return () => repo.db.transaction(() => prepared.forEach((r) => bare.run(r))).immediate()
      }),
      baselineName: 'bare prepared INSERT of the same rows',
      target: '≤ 1.5× the bare INSERT',
    })

    let group = 0
    const ourCompaction = timeEach(5, () => {
      const urid = `bench-compact-${group++}`
      repo.addEvents(deltas('bench-compact', urid, 10_000))
      return () => repo.compactDeltas('bench-compact', urid, 'merged')
    })
    const seedCompaction = timeEach(3, () => {
      const urid = `bench-compact-seed-${group++}`
      // The seed's rows carry random UUIDv4 ids.
      const insert = repo.db.prepare(INSERT_EVENT_SQL)
      repo.db
        .transaction(() =>
          deltas('bench-compact-seed', urid, 10_000).forEach((e, k) =>
            insert.run({ ...toInsertRow(e, 1_000_000 + group * 10_000 + k), id: randomUUID() }),
          ),
        )
        .immediate()
      return () => seedCompact(copy, 'bench-compact-seed', urid, 'merged')
    })
    rows.push({
      name: 'compactDeltas: 10,000 deltas',
      ours: ourCompaction,
      baseline: seedCompaction,
      baselineName: "the seed's compaction, UUIDv4 ids",
      target: '< 100 ms',
    })
    rows.push(...cleanupRows(repo, CLI, join(CACHE, 'bench-data')))
    rows.push(...privacyRows(repo, join(CACHE, 'bench-privacy')))
    repo.close()
  }
  for (const suffix of ['', '-wal', '-shm']) rmSync(copy + suffix, { force: true })

  console.log('Measuring the UI in Chromium…')
  rows.push(...(await uiRows(source, CACHE)))
  printTable(rows)
}

await main()
