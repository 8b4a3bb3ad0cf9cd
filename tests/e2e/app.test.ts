import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ChatRepository } from '../../src/main/db/repository'
import { writeDemoHistory } from '../../src/main/db/demo-history'
import { tempDir } from '../helpers/files'
import { launch, openPage, serve, type Served } from './browser'

let browser: Browser
beforeAll(async () => {
  browser = await launch()
})
afterAll(async () => {
  await browser?.close()
})

function demoFile(): string {
  const path = join(tempDir(), 'chat_history.db')
  const repo = ChatRepository.open(path, { mode: 'create' })
  writeDemoHistory(repo)
  repo.close()
  return path
}

describe('the app in a browser, served by chv serve', () => {
  let served: Served | undefined
  afterAll(async () => served?.stop())

  it('loads, lists conversations by recency and opens one', async () => {
    served = await serve(demoFile())
    const { page, requests, errors } = await openPage(browser, served.url)
    const rows = page.locator('.conversation')
    await expect.poll(() => rows.count()).toBe(7)
    await expect.poll(() => page.title()).toBe('chat_history.db — Chat History Viewer')
    expect(await rows.first().locator('.title').textContent()).toBe('Ping?')
    await page.getByText('What is the weather in Paris').click()
    const cards = page.locator('article.event')
    await expect.poll(() => cards.count()).toBe(5)
    await expect.poll(() => page.locator('.tool-call code').first().textContent()).toBe('get_weather')
    await page.screenshot({ path: join(tempDir(), 'app.png') })
    expect(errors).toEqual([])
    expect(requests.every((url) => url.startsWith(served!.origin))).toBe(true)
  })
})
