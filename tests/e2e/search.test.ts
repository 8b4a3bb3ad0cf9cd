// Search in the UI (search.find): totals, order, more pages, matches in tool calls, the match marked in
// the opened card (CSS Custom Highlight API), and the indexes in the Storage panel. Debian's Chromium
// against `chv serve` on real files.
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { ChatRepository } from '../../src/main/db/repository'
import { tempDir } from '../helpers/files'
import { expectAccessible, SHOTS, shot, useBrowser } from './browser'

const session = useBrowser()

/**
 * 120 events saying "lighthouse" (one old one says little else: the most relevant), 5,100 saying
 * "beacon" (more than relevance ranks), and a weather conversation whose tool call has "Reykjavik" in
 * its arguments and whose reply has it in Markdown.
 */
function searchFile(): string {
  const repo = ChatRepository.open(join(tempDir(), 'search.db'), { mode: 'create' })
  const start = Date.UTC(2025, 0, 1)
  let t = 0
  const at = () => new Date(start + t++ * 1000)
  repo.addEvents([
    {
      conversation_id: 'keeper',
      type: 'user_message',
      role: 'user',
      content: 'lighthouse lighthouse lighthouse',
      created_at: at(),
    },
  ])
  repo.addEvents(
    Array.from({ length: 119 }, (_, i) => ({
      conversation_id: `coast-${String(i % 30).padStart(2, '0')}`,
      type: 'user_message',
      role: 'user',
      content: `Note ${i}: the lighthouse is one of many things on this long and winding coast road today`,
      created_at: at(),
    })),
  )
  repo.addEvents(
    Array.from({ length: 5_100 }, (_, i) => ({
      conversation_id: `signal-${String(i % 50).padStart(2, '0')}`,
      type: 'assistant_message',
      role: 'assistant',
      content: `A beacon, number ${i}`,
      created_at: at(),
    })),
  )
  repo.addEvents([
    {
      conversation_id: 'weather',
      type: 'user_message',
      role: 'user',
      content: 'Will I need a coat in Iceland?',
      created_at: at(),
    },
    {
      conversation_id: 'weather',
      type: 'assistant_message',
      role: 'assistant',
      content: null,
      created_at: at(),
      tool_calls: [
        {
          id: 'call_1',
          type: 'function',
          function: { name: 'get_weather', arguments: '{"city": "Reykjavik", "units": "metric"}' },
        },
      ],
    },
    {
      conversation_id: 'weather',
      type: 'assistant_message',
      role: 'assistant',
      content: 'In **Reykjavik** it is windy: take a *coat*.',
      created_at: at(),
    },
  ])
  repo.close()
  return repo.path
}

const status = (page: Page) => page.locator('.search-status').textContent()
/** The file is indexed on the first search (about 5,000 rows: a few seconds on a busy machine). */
const INDEXED = { timeout: 20_000 }
const hits = (page: Page) => page.locator('.hits .hit')

/** The marked text: each range's text, the seq of its card, and the element it is in. */
const marked = (page: Page) =>
  page.evaluate(() => {
    const highlight = CSS.highlights.get('search-match')
    return [...(highlight ?? [])].map((r) => {
      const range = r as Range
      const element =
        range.startContainer instanceof Element ? range.startContainer : range.startContainer.parentElement!
      return {
        text: range.toString(),
        seq: element.closest('article')?.getAttribute('data-seq') ?? null,
        in: element.closest('strong, pre, p, code')?.tagName.toLowerCase() ?? element.tagName.toLowerCase(),
      }
    })
  })

describe('search', () => {
  it('gives the real total, pages past 50, and orders by relevance', async () => {
    const { page } = await session.open(searchFile())
    await page.locator('.conversation').first().waitFor()
    await page.keyboard.press('/')
    await page.keyboard.type('lighthouse ')
    await expect.poll(() => status(page), INDEXED).toBe('120 matches · showing 50')
    expect(await hits(page).count()).toBe(50)
    // Newest first: the oldest event, the most relevant one, is not on the first page.
    expect(await hits(page).first().locator('code').first().textContent()).toMatch(/^coast-/)
    await page.getByRole('button', { name: 'Show 50 more' }).click()
    await expect.poll(() => hits(page).count()).toBe(100)
    await page.getByRole('button', { name: 'Show 50 more' }).click()
    await expect.poll(() => hits(page).count()).toBe(120)
    expect(await page.getByRole('button', { name: /more/ }).count()).toBe(0)
    expect(await status(page)).toBe('120 matches')
    await expectAccessible(page, 'search results, newest')

    await page.getByRole('button', { name: 'Relevance' }).click()
    await expect.poll(() => hits(page).first().locator('code').first().textContent()).toBe('keeper')
    expect(await page.getByRole('button', { name: 'Relevance' }).getAttribute('aria-pressed')).toBe('true')
    expect(await status(page)).toBe('120 matches · showing 50')
    await shot(page, 'search-relevance')
  })

  it('says when relevance ranked only the newest matches', async () => {
    const { page } = await session.open(searchFile())
    await page.getByLabel('Search all conversations').fill('beacon ')
    await expect.poll(() => status(page), INDEXED).toBe('5,100 matches · showing 50')
    await page.getByRole('button', { name: 'Relevance' }).click()
    await expect
      .poll(() => status(page))
      .toBe(
        '5,100 matches · showing 50 · best first among the newest 5,000 (older matches are not ranked: Newest pages through all)',
      )
    await shot(page, 'search-capped')
    await expectAccessible(page, 'search results, relevance capped')
  })

  it('labels a match in a tool call, and marks the words in the opened card', async () => {
    const { page } = await session.open(searchFile())
    await page.getByLabel('Search all conversations').fill('reykjavik')
    await expect.poll(() => status(page), INDEXED).toBe('2 matches')
    const inCall = hits(page).filter({ has: page.locator('.where') })
    expect(await inCall.locator('.where').textContent()).toBe('in tool call get_weather')
    expect(await hits(page).locator('.where').count()).toBe(1)
    await shot(page, 'search-tool-call')
    await inCall.click()
    await expect.poll(() => page.locator('.conversation-header h2').textContent()).toBe('weather')
    await expect
      .poll(() => page.locator('.timeline-row.highlighted article').getAttribute('data-seq'))
      .toBe('2')
    // The search carries over to the conversation: found there, counted, and marked in its cards.
    expect(await page.getByLabel('Find in conversation').inputValue()).toBe('reykjavik')
    await expect.poll(() => page.locator('.find-count').textContent()).toBe('1 of 2')
    await expect
      .poll(() => marked(page))
      .toEqual([
        { text: 'Reykjavik', seq: '2', in: 'pre' },
        { text: 'Reykjavik', seq: '3', in: 'strong' },
      ])
    // Nothing was added to the page: the arguments are one text node, as React rendered them.
    expect(
      await page.locator('article[data-seq="2"] .tool-call pre').evaluate((el) => el.childNodes.length),
    ).toBe(1)
    await shot(page, 'search-marked')
    if (SHOTS) {
      await page.emulateMedia({ colorScheme: 'dark' })
      await shot(page, 'search-marked-dark')
      await page.emulateMedia({ colorScheme: null })
    }
    await expectAccessible(page, 'marked match in a card')

    // Another find replaces the marks; clearing it clears them.
    await page.getByLabel('Find in conversation').fill('"take a coat"')
    await expect.poll(() => marked(page)).toEqual([{ text: 'take a coat', seq: '3', in: 'p' }])
    await page.getByLabel('Find in conversation').fill('')
    await expect.poll(() => marked(page)).toEqual([])
  })

  it('marks nothing, and still finds, where the browser has no CSS Custom Highlight API', async () => {
    const { page, errors } = await session.open(searchFile())
    await page.addInitScript(() => {
      delete (window as { Highlight?: unknown }).Highlight
    })
    await page.reload()
    await page.getByLabel('Search all conversations').fill('reykjavik')
    await expect.poll(() => status(page), INDEXED).toBe('2 matches')
    await hits(page).first().click()
    await expect.poll(() => page.locator('.find-count').textContent()).toBe('2 of 2')
    expect(await page.evaluate(() => typeof Highlight)).toBe('undefined')
    expect(await page.evaluate(() => CSS.highlights?.size ?? 0)).toBe(0)
    expect(errors).toEqual([])
  })

  it('keeps the search to the open conversation when asked', async () => {
    const { page } = await session.open(searchFile())
    await page.locator('.conversation', { hasText: 'weather' }).first().click()
    await page.getByLabel('Search all conversations').fill('coat OR lighthouse ')
    await expect.poll(() => status(page), INDEXED).toBe('122 matches · showing 50')
    await page.getByLabel('This conversation only').check()
    await expect.poll(() => status(page)).toBe('2 matches')
    expect(await hits(page).locator('code').allTextContents()).toEqual(['weather', 'weather'])
  })
})

describe('indexes in the Storage panel', () => {
  it('shows their size beside the file, and Delete index deletes them; search still works', async () => {
    const { page } = await session.open(searchFile())
    // Build the search index first.
    await page.getByLabel('Search all conversations').fill('lighthouse ')
    await expect.poll(() => status(page), INDEXED).toBe('120 matches · showing 50')
    await page.keyboard.press('Escape')
    const listed = await page.locator('.list-count').textContent()
    expect(listed).toMatch(/^[\d,]+ conversations?$/)
    await page.getByRole('button', { name: 'Storage' }).click()
    const panel = page.getByRole('dialog', { name: 'Storage' })
    const summary = panel.locator('.index-summary')
    await expect
      .poll(() => summary.textContent(), INDEXED)
      .toMatch(
        /^The app's indexes of this file take [\d.]+ [KM]?B \((?:[\d.]+% of|\d+× the size of) the file's [\d.]+ [KM]?B\): the list's index [\d.]+ [KM]?B, the search index [\d.]+ [KM]?B\./,
      )
    await shot(page, 'storage-indexes')
    await expectAccessible(page, 'storage panel with indexes')

    await panel.getByRole('button', { name: 'Delete index…' }).click()
    const confirm = page.getByRole('alertdialog', { name: "Delete this file's indexes?" })
    expect(await confirm.textContent()).toContain('the file itself is not changed')
    await shot(page, 'storage-delete-confirm')
    await expectAccessible(page, 'delete index confirmation')
    await confirm.getByRole('button', { name: 'Delete index' }).click()
    await expect
      .poll(() => panel.locator('.index-deleted').textContent())
      .toBe('Indexes deleted: they are rebuilt on demand.')
    await expect
      .poll(() => summary.textContent())
      .toContain('the search index not built yet (built on the first search)')
    await shot(page, 'storage-deleted')
    await expectAccessible(page, 'storage panel after Delete index')
    await page.keyboard.press('Escape')
    // The list asks again (rebuilding the list's index) and lists what it listed.
    await expect.poll(() => page.locator('.list-count').textContent(), INDEXED).toBe(listed)
    await expect.poll(() => page.locator('.conversation').count()).toBeGreaterThan(0)

    // Search builds its index again and finds the same.
    await page.getByLabel('Search all conversations').fill('beacon ')
    await expect.poll(() => status(page), INDEXED).toBe('5,100 matches · showing 50')
  })
})
