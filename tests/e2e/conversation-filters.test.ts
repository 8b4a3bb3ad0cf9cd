// The conversation list from the app's index: filters with counts, badges, the whole-list scrollbar,
// jumping to a date; in Debian's Chromium against `chv serve` on real files.
import type { Page } from 'playwright-core'
import { chromium } from 'playwright-core'
import { describe, expect, it, onTestFinished } from 'vitest'
import { manyConversationsFile, variedFile, variedTraits, VARIED_COUNT } from '../helpers/varied-history'
import { CHROMIUM, expectAccessible, openPage, shot, useBrowser } from './browser'
import { demoFile } from '../helpers/demo'
import { appendEvent } from './fixtures'

const session = useBrowser()

const count = (page: Page) => page.locator('.list-count').textContent()
const focusedText = (page: Page) => page.evaluate(() => document.activeElement?.textContent ?? '')
const titles = (page: Page) => page.locator('.conversation .title').allTextContents()
const ids = (page: Page) => page.locator('.conversation .row-id').allTextContents()
/** The list once the file is indexed (building it takes a moment after the server starts). */
const indexed = (page: Page, line: string) => expect.poll(() => count(page), { timeout: 30_000 }).toBe(line)
/** Conversations of the varied history that `keep` keeps, by number. */
const varied = (keep: (t: ReturnType<typeof variedTraits>) => boolean) =>
  Array.from({ length: VARIED_COUNT }, (_, i) => variedTraits(i)).filter(keep).length

describe('filters from the index', () => {
  it('model, tool, dates and toggles narrow the list with counts; chips remove them; Clear filters', async () => {
    const { page, errors } = await session.open(variedFile())
    await indexed(page, `${VARIED_COUNT} conversations`)
    await page.getByRole('button', { name: 'Filters' }).click()
    const model = page.getByLabel('Model')
    await expect
      .poll(() => model.locator('option').allTextContents())
      .toEqual(['Any model', 'claude-sonnet-4 (20)', 'gpt-4o (20)', 'gpt-4o-mini (20)'])
    await expectAccessible(page, 'filter panel open')
    await shot(page, 'panel')

    await model.selectOption('gpt-4o')
    await expect.poll(() => count(page)).toBe(`20 of ${VARIED_COUNT} conversations`)
    expect((await ids(page)).every((id) => variedTraits(Number(id.slice(6))).model === 'gpt-4o')).toBe(true)
    // Tool counts are among the 20 conversations of gpt-4o now.
    const withTool = (tool: string) => varied((t) => t.model === 'gpt-4o' && t.tool === tool)
    await expect
      .poll(() => page.getByLabel('Tool', { exact: true }).locator('option').allTextContents())
      .toContain(`search_web (${withTool('search_web')})`)
    await page.getByLabel('Tool', { exact: true }).selectOption('search_web')
    await expect.poll(() => count(page)).toBe(`${withTool('search_web')} of ${VARIED_COUNT} conversations`)

    // Toggles with their counts; chips for what is active.
    await page.getByRole('button', { name: 'Remove filter: Tool: search_web' }).click()
    await page.getByRole('button', { name: 'Remove filter: Model: gpt-4o' }).click()
    await expect.poll(() => count(page)).toBe(`${VARIED_COUNT} conversations`)
    const pending = page.locator('.filter-toggle', { hasText: 'Pending' })
    await expect.poll(() => pending.textContent()).toBe(`Pending${varied((t) => t.pending)}`)
    await pending.getByRole('checkbox').check()
    await expect.poll(() => count(page)).toBe(`${varied((t) => t.pending)} of ${VARIED_COUNT} conversations`)
    await page.getByRole('checkbox', { name: /Tool calls/ }).check()
    const both = varied((t) => t.pending && t.tool !== null)
    await expect.poll(() => count(page)).toBe(`${both} of ${VARIED_COUNT} conversations`)
    expect(await page.locator('.active-filters .filter-chip').allTextContents()).toEqual([
      'Has tool calls ×',
      'Has pending chunks ×',
    ])
    await expectAccessible(page, 'filters active')
    await shot(page, 'filtered')
    await page.getByRole('button', { name: 'Clear filters' }).click()
    await expect.poll(() => count(page)).toBe(`${VARIED_COUNT} conversations`)
    expect(await page.getByRole('checkbox', { name: /Tool calls/ }).isChecked()).toBe(false)

    // Dates: active since a day, begun by another (the viewer's days).
    await page.getByLabel('Active since').fill('2025-06-01')
    await page.getByLabel('Begun by').fill('2025-07-31')
    const day = (s: string) => new Date(`${s}T00:00:00`).getTime() / 1000
    const inRange = varied((t) => {
      const last = t.revisited ? t.firstUnix + 200 * 86400 : t.firstUnix
      return last >= day('2025-06-01') && t.firstUnix < day('2025-08-01')
    })
    await expect.poll(() => count(page)).toBe(`${inRange} of ${VARIED_COUNT} conversations`)
    expect(await page.locator('.active-filters .filter-chip').count()).toBe(2)

    // Nothing left: said so, and the chips still take the filters off.
    await page.getByLabel('Filter conversations').fill('zzzz')
    await expect
      .poll(() => page.locator('.sidebar .state').textContent())
      .toBe('No conversation matches these filters.')
    await expectAccessible(page, 'no match')
    await page.getByRole('button', { name: 'Clear filters' }).click()
    await expect.poll(() => count(page)).toBe(`${VARIED_COUNT} conversations`)
    expect(await page.getByLabel('Filter conversations').inputValue()).toBe('')
    expect(errors).toEqual([])
  })

  it('each badge says one thing: pending chunks once, tool calls without a result as problems', async () => {
    const { page } = await session.open(variedFile())
    await indexed(page, `${VARIED_COUNT} conversations`)
    await page.getByLabel('Sort conversations').selectOption('first')
    const row = (i: number) => page.locator('.conversation', { hasText: variedTraits(i).id })
    await page.getByLabel('Filter conversations').fill('topic-000')
    // topic-000: an unanswered call and a pending reply of 3 chunks.
    await expect.poll(() => row(0).locator('.badge').allTextContents()).toEqual(['1 problem', '3 pending'])
    expect(await row(0).locator('.badge.error').getAttribute('title')).toBe(
      '1 tool call without a result: the Problems tab shows it',
    )
    expect(await row(0).locator('.badge.warn').getAttribute('title')).toBe(
      '3 streamed chunks of 1 reply not compacted into a message yet (Clean up merges them)',
    )
    expect(await row(0).locator('.chip').allTextContents()).toEqual(['gpt-4o'])
    // topic-005: pending only; topic-004: a call with its result, nothing to flag.
    await page.getByLabel('Filter conversations').fill('topic-005')
    await expect.poll(() => row(5).locator('.badge').allTextContents()).toEqual(['3 pending'])
    await page.getByLabel('Filter conversations').fill('topic-004')
    await expect.poll(() => row(4).count()).toBe(1)
    expect(await row(4).locator('.badge').count()).toBe(0)
  })
})

const ROW_HEIGHT = 62

describe('filters from the keyboard', () => {
  it('the panel opens from its button, its fields take keys, Escape closes it; chips are buttons', async () => {
    const { page } = await session.open(variedFile())
    await indexed(page, `${VARIED_COUNT} conversations`)
    await page.getByLabel('Sort conversations').focus()
    await page.keyboard.press('Tab')
    expect(await focusedText(page)).toBe('Filters')
    await page.keyboard.press('Enter')
    const button = page.locator('.filters-button')
    expect(await button.getAttribute('aria-expanded')).toBe('true')
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.id)).toBe(
      await page.getByLabel('Model').getAttribute('id'),
    )
    await page.getByRole('checkbox', { name: /Pending/ }).focus()
    await page.keyboard.press(' ')
    await expect.poll(() => count(page)).toBe(`${varied((t) => t.pending)} of ${VARIED_COUNT} conversations`)
    await page.keyboard.press('Escape')
    expect(await button.getAttribute('aria-expanded')).toBe('false')
    expect(await focusedText(page)).toBe('Filters · 1')
    // The chip, reached with Tab, takes the filter off with Enter.
    await page.keyboard.press('Tab')
    expect(await focusedText(page)).toBe('Clear filters')
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(
      'Remove filter: Has pending chunks',
    )
    await page.keyboard.press('Enter')
    await expect.poll(() => count(page)).toBe(`${VARIED_COUNT} conversations`)
  })
})

describe('the whole list', () => {
  it('20,000 conversations: the scrollbar covers them all, dragged to the middle it shows those rows; keys reach both ends', async () => {
    const { served } = await session.open(manyConversationsFile(20_000))
    // Playwright hides scrollbars in headless Chromium: this page shows them, to drag one.
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      ignoreDefaultArgs: ['--hide-scrollbars'],
      args: ['--no-sandbox', '--disable-gpu'],
    })
    onTestFinished(() => browser.close())
    const { page } = await openPage(browser, served.url)
    await indexed(page, '20,000 conversations')
    const scroller = page.locator('.list-scroller')
    expect(await scroller.evaluate((el) => el.scrollHeight)).toBe(20_000 * ROW_HEIGHT)
    const bar = await scroller.evaluate((el) => (el as HTMLElement).offsetWidth - el.clientWidth)
    expect(bar).toBeGreaterThan(0)
    // The scrollbar's thumb, dragged with the mouse from the top to the middle.
    const box = (await scroller.boundingBox())!
    // Below the arrow button at the top (a square as wide as the bar), on the thumb.
    const x = box.x + box.width - bar / 2
    await page.mouse.move(x, box.y + bar + 6)
    await page.mouse.down()
    await page.mouse.move(x, box.y + box.height / 2, { steps: 8 })
    await page.mouse.up()
    const top = () => scroller.evaluate((el) => el.scrollTop)
    await expect.poll(top).toBeGreaterThan(8_000 * ROW_HEIGHT)
    const firstShown = Math.floor((await top()) / ROW_HEIGHT)
    const shownId = (i: number) => `many-${String(i).padStart(6, '0')}`
    await expect
      .poll(() => page.locator(`.list-row[data-index="${firstShown}"] .row-id`).textContent())
      .toBe(shownId(firstShown))
    expect(await page.locator('.list-row').count()).toBeLessThan(60)
    await shot(page, 'middle')
    await expectAccessible(page, 'the middle of 20,000 conversations')

    // Keys: End reaches the last conversation (its page fetched first), Home the first.
    await page.locator(`.list-row[data-index="${firstShown + 2}"] button`).focus()
    await page.keyboard.press('ArrowDown')
    await expect.poll(() => focusedText(page)).toContain(shownId(firstShown + 3))
    await page.keyboard.press('End')
    await expect.poll(() => focusedText(page)).toContain(shownId(19_999))
    await page.keyboard.press('PageUp')
    await expect.poll(() => focusedText(page)).not.toContain(shownId(19_999))
    await page.keyboard.press('Home')
    await expect.poll(() => focusedText(page)).toContain(shownId(0))
    await page.keyboard.press('ArrowDown')
    await expect.poll(() => focusedText(page)).toContain(shownId(1))
    await page.keyboard.press(' ')
    await expect
      .poll(() =>
        page
          .getByRole('toolbar', { name: 'Selected conversations' })
          .locator('.selection-count')
          .textContent(),
      )
      .toBe('1 selected')
    await page.keyboard.press('Enter')
    await expect.poll(() => page.locator('.conversation-header h2').textContent()).toBe(shownId(1))
  })

  it('goes to a date: the first conversation on or before it, in the current sort and filters', async () => {
    const { page } = await session.open(manyConversationsFile(20_000))
    await indexed(page, '20,000 conversations')
    await page.getByRole('button', { name: 'Filters' }).click()
    await page.getByLabel('Go to date').fill('2025-06-15')
    await page.getByRole('button', { name: 'Go', exact: true }).click()
    // The end of that day where the browser is (the same machine as this test).
    const atUnix = new Date(2025, 5, 16).getTime() / 1000 - 1
    const offset = (step: number) => {
      let i = 0
      while (Math.floor((Date.UTC(2026, 0, 1) - i * step * 3600 * 1000) / 1000) > atUnix) i++
      return i
    }
    const expected = offset(1)
    const row = (i: number) => page.locator(`.list-row[data-index="${i}"] .row-id`)
    await expect.poll(() => row(expected).textContent()).toBe(`many-${String(expected).padStart(6, '0')}`)
    await expect
      .poll(() => page.locator('.list-scroller').evaluate((el) => el.scrollTop))
      .toBe(expected * ROW_HEIGHT)
    expect(await page.locator('.list-count').textContent()).toContain(
      `Jun 15, 2025: row ${(expected + 1).toLocaleString('en-US')}`,
    )
    // Tab lands on the row gone to.
    expect(await page.locator(`.list-row[data-index="${expected}"] button`).getAttribute('tabindex')).toBe(
      '0',
    )
    await shot(page, 'jumped')
    await expectAccessible(page, 'after going to a date')

    // With a filter (every other conversation is gpt-4o): the position in that list.
    await page.getByLabel('Model').selectOption('gpt-4o')
    await expect.poll(() => count(page)).toBe('10,000 of 20,000 conversations')
    await page.getByRole('button', { name: 'Go', exact: true }).click()
    const inFiltered = Math.ceil(expected / 2)
    await expect
      .poll(() => row(inFiltered).textContent())
      .toBe(`many-${String(inFiltered * 2).padStart(6, '0')}`)
    // Before every conversation: said so, the list stays.
    await page.getByLabel('Go to date').fill('2020-01-01')
    await page.getByRole('button', { name: 'Go', exact: true }).click()
    await expect.poll(() => count(page)).toContain('no conversation on or before')
  })
})

describe('while the index is built, and live', () => {
  it('the list works from plain pages and says how far indexing got; then filters come, the selection kept', async () => {
    const { page } = await session.open(variedFile())
    await page.route('**/api/index.status', (route) =>
      route.fulfill({
        json: {
          ok: true,
          value: { state: 'building', indexed: 45, total: 100, pendingConversations: 0, bytes: 0 },
        },
      }),
    )
    await page.reload()
    await expect.poll(() => count(page)).toBe('Indexing 45% — filters will be ready soon')
    await expect.poll(() => page.locator('.conversation').count()).toBeGreaterThan(5)
    await page.getByRole('button', { name: 'Filters' }).click()
    expect(await page.getByLabel('Model').isDisabled()).toBe(true)
    expect(await page.locator('.filter-note').textContent()).toBe(
      'Filters are ready once the file is indexed.',
    )
    // Text and sort work meanwhile; a conversation opens.
    await page.getByLabel('Filter conversations').fill('gardens')
    const gardens = async () => {
      const shown = await titles(page)
      return shown.length > 10 && shown.every((t) => t.endsWith('about gardens'))
    }
    await expect.poll(gardens).toBe(true)
    const chosen = (await ids(page))[2]!
    await page.locator('.conversation', { hasText: chosen }).click()
    await expect.poll(() => page.locator('.conversation-header h2').textContent()).toBe(chosen)
    await expectAccessible(page, 'indexing')
    await shot(page, 'indexing')

    await page.unroute('**/api/index.status')
    await expect.poll(() => count(page)).toBe(`${VARIED_COUNT / 2} of ${VARIED_COUNT} conversations`)
    expect(await page.getByLabel('Model').isDisabled()).toBe(false)
    expect(await page.locator('.conversation.selected .row-id').textContent()).toBe(chosen)
  })

  it('a conversation another program writes appears, counted', async () => {
    const db = variedFile()
    const { page } = await session.open(db)
    await indexed(page, `${VARIED_COUNT} conversations`)
    appendEvent(db, 'brand-new', 'A fresh question')
    await expect.poll(() => count(page), { timeout: 5000 }).toBe(`${VARIED_COUNT + 1} conversations`)
    await expect
      .poll(() => page.locator('.conversation .title').first().textContent())
      .toBe('A fresh question')
  })

  it('on a small file a new row is caught up in place: the list never falls back to indexing', async () => {
    const db = demoFile()
    const { page } = await session.open(db)
    await indexed(page, '7 conversations')
    // Every text the count line shows from now on (one new row is 3% of this file).
    await page.evaluate(() => {
      const seen: string[] = []
      ;(window as { seen?: string[] }).seen = seen
      const line = document.querySelector('.list-count')!
      new MutationObserver(() => seen.push(line.textContent ?? '')).observe(line, {
        subtree: true,
        childList: true,
        characterData: true,
      })
    })
    appendEvent(db, 'demo-weather-paris', 'And tomorrow?')
    await expect
      .poll(() => page.locator('.conversation .title').first().textContent(), { timeout: 5000 })
      .toMatch(/^What is the weather in Paris/)
    await expect.poll(() => page.locator('.conversation .meta').first().textContent()).toContain('6 events')
    expect(await page.evaluate(() => (window as { seen?: string[] }).seen)).not.toContainEqual(
      expect.stringContaining('Indexing'),
    )
  })
})
