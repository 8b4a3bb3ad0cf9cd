// The UI on the 1M-event file, in Debian's Chromium: time to first events, the newest 200, and the
// page's heap after scrolling a 50,000-event conversation; and the longest single handler call, which
// is how long the main process (or the HTTP server) would not answer anything else.
import { join } from 'node:path'
import { FileRegistry } from '../src/main/api/file-registry'
import { createHandlers } from '../src/main/api/handlers'
import { launch, serve } from '../tests/e2e/browser'
import { BIG_CONVERSATION_ID } from './generate'
import { longest, type Row } from './measure'

export async function uiRows(db: string, cacheDir: string): Promise<Row[]> {
  const served = await serve(db)
  const browser = await launch()
  try {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage()
    const url = new URL(served.url)
    url.searchParams.set('conversation', BIG_CONVERSATION_ID)
    await page.goto(url.toString())
    await page.waitForSelector('[data-testid=timeline] article.event')
    const firstEvents = await page.evaluate(() => performance.now())
    const started = performance.now()
    await page.getByRole('button', { name: 'Jump to the newest events ↓' }).click()
    await page.waitForSelector('[data-testid=timeline] article.event[data-seq="50000"]')
    const newest = performance.now() - started
    await page.getByRole('button', { name: 'Show from the first event' }).click()
    await page.waitForSelector('[data-testid=timeline] article.event[data-seq="1"]')
    for (let i = 0; i < 2000; i++) {
      const last = await page.locator('[data-testid=timeline] article.event').last().getAttribute('data-seq')
      if (last === '50000') break
      await page.locator('[data-testid=timeline]').evaluate((el) => el.scrollTo(0, el.scrollHeight))
      await page.waitForTimeout(30)
    }
    const cdp = await page.context().newCDPSession(page)
    await cdp.send('HeapProfiler.collectGarbage')
    await cdp.send('Performance.enable')
    const { metrics } = (await cdp.send('Performance.getMetrics')) as {
      metrics: { name: string; value: number }[]
    }
    const heap = metrics.find((m) => m.name === 'JSHeapUsedSize')!.value
    const rows: Row[] = [
      {
        name: 'UI: page load to first events of a 50,000-event conversation',
        ours: firstEvents,
        baseline: 1000,
        baselineName: 'the target (1 s)',
        target: '< 1 s',
      },
      {
        name: 'UI: newest 200 events of 50,000 on screen',
        ours: newest,
        baseline: 100,
        baselineName: 'the target (100 ms)',
        target: '< 100 ms',
      },
      {
        name: 'UI: JS heap after scrolling all 50,000 events, MB',
        ours: heap / 1e6,
        baseline: 150,
        baselineName: 'the target (150 MB)',
        target: '< 150 MB',
      },
    ]
    return [...rows, ...handlerRows(db, cacheDir)]
  } finally {
    await browser.close()
    await served.stop()
  }
}

/** The longest call of each handler the UI makes, on the main thread. */
function handlerRows(db: string, cacheDir: string): Row[] {
  const files = new FileRegistry()
  const { fileId } = files.add(db)
  const handlers = createHandlers(files, {
    snapshotDir: join(cacheDir, 'snapshots'),
    searchDir: join(cacheDir, 'search'),
  })
  const page = handlers['conversations.list']({ fileId, limit: 100, cursor: null, filter: '', sort: 'last' })
  if (!page.ok) throw new Error(page.message)
  const ids = page.value.conversations.slice(0, 30).map((c) => c.conversation_id)
  const calls: [string, () => unknown][] = [
    [
      'conversations.list, first page',
      () => handlers['conversations.list']({ fileId, limit: 100, cursor: null, filter: '', sort: 'last' }),
    ],
    [
      'conversations.stats, 30 rows on screen',
      () => handlers['conversations.stats']({ fileId, conversationIds: ids }),
    ],
    [
      'events.page, 200 events',
      () =>
        handlers['events.page']({
          fileId,
          conversationId: BIG_CONVERSATION_ID,
          afterSeq: 25_000,
          limit: 200,
          contentChars: 4000,
        }),
    ],
    [
      'search.query, top 50 for a common word',
      () =>
        handlers['search.query']({
          fileId,
          text: 'sqlite',
          conversationId: null,
          type: null,
          model: null,
          provider: null,
          fromUnix: null,
          toUnix: null,
          limit: 50,
        }),
    ],
    [
      'conversations.list, filtered (reads every row)',
      () =>
        handlers['conversations.list']({
          fileId,
          limit: 100,
          cursor: null,
          filter: 'conv-0042',
          sort: 'last',
        }),
    ],
    [
      'cleanup.plan, whole file (reads every row)',
      () => handlers['cleanup.plan']({ fileId, conversationId: null, minAgeSeconds: 60 }),
    ],
  ]
  return calls.map(([name, call]) => ({
    name: `main thread: ${name}`,
    ours: longest(3, call),
    baseline: 50,
    baselineName: 'the target (50 ms)',
    target: '< 50 ms',
  }))
}
