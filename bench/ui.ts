// The UI on the 1M-event file, in Debian's Chromium: time to first events, the newest 200, and the
// page's heap after scrolling a 50,000-event conversation; and what each call costs the process that
// serves the UI (the Electron main process or the HTTP server).
import { join } from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { HandlerHost } from '../src/main/api/handler-host'
import { launch, serve } from '../tests/e2e/browser'
import { BIG_CONVERSATION_ID } from './generate'
import type { Row } from './measure'

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
    const jumps: number[] = []
    for (let i = 0; i < 5; i++) {
      const started = performance.now()
      await page.getByRole('button', { name: 'Jump to the newest events ↓' }).click()
      await page.waitForSelector('[data-testid=timeline] article.event[data-seq="50000"]')
      jumps.push(performance.now() - started)
      await page.getByRole('button', { name: 'Show from the first event' }).click()
      await page.waitForSelector('[data-testid=timeline] article.event[data-seq="1"]')
    }
    const coldJump = jumps[0]!
    const newest = jumps.sort((a, b) => a - b)[2]!
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
        name: `UI: newest 200 events of 50,000 on screen (median of 5; the first, cold: ${coldJump.toFixed(0)} ms)`,
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
    return [...rows, ...(await handlerRows(db, cacheDir))]
  } finally {
    await browser.close()
    await served.stop()
  }
}

/**
 * The calls the UI makes, through the database worker as the app and `chv serve` make them: how long
 * the worker took, and the longest the calling thread was kept from running (its event-loop delay).
 */
async function handlerRows(db: string, cacheDir: string): Promise<Row[]> {
  const host = new HandlerHost(join(import.meta.dirname, '../out/cli/handler-worker.js'), {
    mode: 'read',
    dataDir: join(cacheDir, 'ui-data'),
    searchDir: join(cacheDir, 'search'),
    allowWrite: false,
  })
  try {
    const { fileId } = await host.add(db)
    const first = (await host.dispatch('conversations.list', { fileId, limit: 100 })) as {
      output: { value: { conversations: { conversation_id: string }[] } }
    }
    const ids = first.output.value.conversations.slice(0, 30).map((c) => c.conversation_id)
    const calls: [string, string, unknown][] = [
      ['conversations.list, first page', 'conversations.list', { fileId, limit: 100 }],
      ['conversations.stats, 30 rows on screen', 'conversations.stats', { fileId, conversationIds: ids }],
      [
        'events.page, 200 events',
        'events.page',
        { fileId, conversationId: BIG_CONVERSATION_ID, afterSeq: 25_000, limit: 200, contentChars: 4000 },
      ],
      ['search.query, newest 50 for a common word', 'search.query', { fileId, text: 'sqlite' }],
      [
        'conversations.list, filtered (reads every row)',
        'conversations.list',
        { fileId, limit: 100, filter: 'conv-0042' },
      ],
      ['cleanup.plan, whole file (reads every row)', 'cleanup.plan', { fileId }],
    ]
    const rows: Row[] = []
    for (const [name, channel, input] of calls) {
      const delay = monitorEventLoopDelay({ resolution: 1 })
      delay.enable()
      const start = performance.now()
      await host.dispatch(channel, input)
      const took = performance.now() - start
      delay.disable()
      rows.push({
        name: `${name}: the worker took ${took.toFixed(0)} ms; the calling thread's longest stall`,
        ours: delay.max / 1e6,
        baseline: 50,
        baselineName: 'the target (50 ms)',
        target: '< 50 ms',
      })
    }
    return rows
  } finally {
    await host.close()
  }
}
