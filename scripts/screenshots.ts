// npm run screenshots: the main screens, light and dark, on the demo history, into docs/screenshots.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { ChatRepository } from '../src/main/db/repository'
import { writeDemoHistory } from '../src/main/db/demo-history'
import { launch, serve } from '../tests/e2e/browser'

const OUT = join(import.meta.dirname, '../docs/screenshots')

async function shoot(browser: Browser, url: string, scheme: 'light' | 'dark') {
  const page = await (
    await browser.newContext({ colorScheme: scheme, viewport: { width: 1280, height: 800 } })
  ).newPage()
  await page.goto(url)
  await page.waitForSelector('.conversation')
  await page.getByText('What is the weather in Paris').click()
  await page.waitForSelector('article.event')
  await page.locator('article[data-seq="2"]').getByText('Inspect').click()
  await page.waitForTimeout(300)
  await page.screenshot({ path: join(OUT, `timeline-${scheme}.png`) })
  await page.getByText('Summarise the plot of Hamlet').click()
  await page.waitForSelector('article[data-type=assistant_delta_group]')
  await page.screenshot({ path: join(OUT, `streamed-${scheme}.png`) })
  await page.getByText('Explain an index in SQLite').click()
  await page.getByRole('tab', { name: 'Model view' }).click()
  await page.waitForSelector('.message')
  await page.screenshot({ path: join(OUT, `model-view-${scheme}.png`) })
  await page.getByLabel('Search all conversations').fill('sqlite')
  await page.waitForSelector('.hits .hit')
  await page.waitForTimeout(300)
  await page.screenshot({ path: join(OUT, `search-${scheme}.png`) })
}

const db = join(mkdtempSync(join(tmpdir(), 'chv-shots-')), 'chat_history.db')
const repo = ChatRepository.open(db, { mode: 'create' })
writeDemoHistory(repo)
repo.close()
const served = await serve(db)
const browser = await launch()
try {
  for (const scheme of ['light', 'dark'] as const) await shoot(browser, served.url, scheme)
} finally {
  await browser.close()
  await served.stop()
}
