// What a user sees and does in the app, in Debian's Chromium against `chv serve` on real files.
import { renameSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { demoFile } from '../helpers/demo'
import { tempDir } from '../helpers/files'
import { expectAccessible, openPage, useBrowser } from './browser'
import { appendEvent, bigFile, emptyFile, FIVE_MB, hostileFile } from './fixtures'

const session = useBrowser()
const open = (db: string) => session.open(db)

const cards = (page: Page) => page.locator('[data-testid=timeline] article.event')
const focusedText = (page: Page) => page.evaluate(() => document.activeElement?.textContent ?? '')
const highlighted = (page: Page) => page.locator('.timeline-row.highlighted article').getAttribute('data-seq')

describe('browsing', () => {
  it('lists conversations by recency and opens one; nothing is fetched from elsewhere', async () => {
    const { page, requests, errors, served } = await open(demoFile())
    const rows = page.locator('.conversation')
    await expect.poll(() => rows.count()).toBe(7)
    await expect.poll(() => page.title()).toBe('chat_history.db — Chat History Viewer')
    expect(await rows.first().locator('.title').textContent()).toBe('Ping?')
    await expect.poll(() => rows.nth(2).textContent()).toContain('5 pending')
    expect(await rows.first().locator('.meta').textContent()).toContain('2 events')
    await page.getByText('What is the weather in Paris').click()
    await expect.poll(() => cards(page).count()).toBe(5)
    expect(await page.locator('.tool-call .function').first().textContent()).toBe('get_weather')
    expect(errors).toEqual([])
    expect(requests.every((url) => url.startsWith(served.origin))).toBe(true)
  })

  it('renders Markdown, highlights code, and groups streamed chunks into one card', async () => {
    const { page } = await open(demoFile())
    await page.getByText('What is the weather in Paris').click()
    await expect
      .poll(() => page.locator('.markdown strong').first().textContent())
      .toBe('14.5 °C with light rain')
    await page.getByText('Explain an index in SQLite').click()
    await expect
      .poll(() => page.locator('.markdown pre code.language-sql .hljs-keyword').count())
      .toBeGreaterThan(0)
    await page.getByText('Summarise the plot of Hamlet').click()
    const group = page.locator('article[data-type=assistant_delta_group]')
    await expect
      .poll(() => group.locator('.merged').textContent())
      .toBe('A prince avenges his father and everyone ')
    expect(await group.locator('.badge').textContent()).toBe('5 chunks')
    expect(await cards(page).count()).toBe(2)
  })

  it('links a tool call to its result and back, and inspects JSON', async () => {
    const { page } = await open(demoFile())
    await page.getByText('What is the weather in Paris').click()
    await page.getByRole('button', { name: '↓ go to the result' }).first().click()
    await expect
      .poll(() => page.locator('.timeline-row.highlighted article').getAttribute('data-seq'))
      .toBe('3')
    await page.locator('.timeline-row.highlighted').getByRole('button', { name: '↑ go to the call' }).click()
    await expect
      .poll(() => page.locator('.timeline-row.highlighted article').getAttribute('data-seq'))
      .toBe('2')
    const second = page.locator('article[data-seq="2"]')
    await second.getByText('Inspect').click()
    await expect.poll(() => second.locator('.json-key').allTextContents()).toContain('user_request_id: ')
    await second.locator('.json-node summary', { hasText: 'raw' }).click()
    await expect.poll(() => second.locator('.json-key').allTextContents()).toContain('prompt_tokens: ')
  })

  it('copies a conversation id and an event`s JSON', async () => {
    const { page } = await open(demoFile())
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'])
    await page.getByText('Ping?').click()
    await page.getByRole('button', { name: 'Copy id' }).click()
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('demo-app-flow')
    await cards(page).first().getByRole('button', { name: 'Copy JSON' }).click()
    expect(JSON.parse(await page.evaluate(() => navigator.clipboard.readText()))).toMatchObject({
      content: 'Ping?',
      seq: 1,
    })
  })

  it('shows the model view: system prompt first, editable, and the next user message last', async () => {
    const { page } = await open(demoFile())
    await page.getByText('Explain an index in SQLite').click()
    await page.getByRole('tab', { name: 'Model view' }).click()
    const messages = page.locator('.messages .message')
    await expect.poll(() => messages.count()).toBe(14)
    await page.getByLabel('System prompt').fill('Answer in French.')
    await expect.poll(() => messages.first().locator('pre').textContent()).toBe('Answer in French.')
    expect(await messages.last().locator('.chip').textContent()).toBe('user')
    expect(await page.locator('.model-view .muted').textContent()).toContain('12 of 12')
  })

  it('filters by id or text and sorts by when conversations started', async () => {
    const { page } = await open(demoFile())
    const titles = () => page.locator('.conversation .title').allTextContents()
    await expect.poll(async () => (await titles()).length).toBe(7)
    await page.getByLabel('Filter conversations').fill('umbrella')
    await expect
      .poll(titles)
      .toEqual(['What is the weather in Paris right now, and should I take an umbrella?'])
    await page.getByLabel('Filter conversations').fill('demo-multi')
    await expect.poll(titles).toEqual(['What breed is this cat? [image_url]'])
    await page.getByLabel('Filter conversations').fill('')
    await page.getByLabel('Sort conversations').selectOption('first')
    await expect.poll(async () => (await titles())[0]).toBe('Ping?')
    await expect.poll(async () => (await titles()).at(-1)).toMatch(/^What is the weather/)
  })

  it('keys act on the pane with focus: arrows move along the list there, scroll the timeline there; j/k focus events', async () => {
    const { page } = await open(demoFile())
    await expect.poll(() => page.locator('.conversation').count()).toBe(7)
    // Nothing has focus: arrows do nothing to the list.
    await page.keyboard.press('ArrowDown')
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('BODY')
    // The list settles first (its badges arrive after the rows), then each key moves one row.
    await expect.poll(() => page.locator('.conversation', { hasText: '5 pending' }).count()).toBe(1)
    const rows = await page.locator('.conversation .title').allTextContents()
    await page.locator('.conversation').first().focus()
    for (let i = 1; i <= 3; i++) {
      await page.keyboard.press('ArrowDown')
      await expect.poll(() => focusedText(page)).toContain(rows[i]!.slice(0, 20))
    }
    expect(await focusedText(page)).toContain('Explain an index in SQLite')
    await page.keyboard.press('Enter')
    await expect.poll(() => page.locator('.conversation-header h2').textContent()).toBe('demo-sql-help')
    await expect.poll(() => cards(page).count()).toBeGreaterThan(2)
    // j/k move real focus along the events (the list keeps its selection).
    await page.keyboard.press('j')
    await page.keyboard.press('j')
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-seq'))).toBe('2')
    await page.keyboard.press('k')
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-seq'))).toBe('1')
    // With focus in the timeline, ↓ scrolls it and leaves the list alone.
    const timeline = page.locator('[data-testid=timeline]')
    const top = () => timeline.evaluate((el) => el.scrollTop)
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowDown')
    await expect.poll(top).toBeGreaterThan(0)
    expect(await page.locator('.conversation.selected .title').textContent()).toContain('Explain an index')
    expect(await page.locator('[aria-current=true]').count()).toBe(1)
    await expectAccessible(page, 'timeline with a focused event')
  })

  it('tabs take arrow keys; the sidebar resizer works from the keyboard', async () => {
    const { page } = await open(demoFile())
    await page.getByText('Explain an index in SQLite').click()
    await page.getByRole('tab', { name: 'Timeline' }).focus()
    await page.keyboard.press('ArrowRight')
    await expect.poll(() => page.locator('.messages .message').count()).toBe(14)
    expect(await page.getByRole('tab', { name: 'Model view' }).getAttribute('aria-selected')).toBe('true')
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Model view')
    await page.keyboard.press('End')
    expect(await page.getByRole('tab', { name: 'Problems' }).getAttribute('aria-selected')).toBe('true')
    await page.keyboard.press('ArrowRight')
    expect(await page.getByRole('tab', { name: 'Timeline' }).getAttribute('aria-selected')).toBe('true')

    const width = async () => (await page.locator('.sidebar').boundingBox())!.width
    const before = await width()
    await page.getByRole('separator', { name: 'Sidebar width' }).focus()
    await page.keyboard.press('ArrowRight')
    await page.keyboard.press('ArrowRight')
    await expect.poll(width).toBe(before + 40)
    await page.keyboard.press('Home')
    await expect.poll(width).toBe(220)
    expect(await page.getByRole('separator').getAttribute('aria-valuenow')).toBe('220')
  })

  it('picks several conversations with Ctrl+click or Space; the bar fits a 320 px sidebar', async () => {
    const { page } = await open(demoFile())
    await expect.poll(() => page.locator('.conversation').count()).toBe(7)
    await page
      .locator('.conversation')
      .nth(1)
      .click({ modifiers: ['Control'] })
    await page.locator('.conversation').nth(2).focus()
    await page.keyboard.press(' ')
    const bar = page.getByRole('toolbar', { name: 'Selected conversations' })
    await expect.poll(() => bar.locator('.selection-count').textContent()).toBe('2 selected')
    const sidebar = (await page.locator('.sidebar').boundingBox())!
    expect(sidebar.width).toBe(320)
    for (const name of ['Export', 'Delete 2…', 'Clear']) {
      const box = (await bar.getByRole('button', { name }).boundingBox())!
      expect(box.x + box.width).toBeLessThanOrEqual(sidebar.x + sidebar.width)
    }
    // Picking does not open: nothing is open yet.
    expect(await page.locator('.conversation-view').count()).toBe(0)
    await expectAccessible(page, 'two conversations picked')
    await bar.getByRole('button', { name: 'Clear' }).click()
    expect(await bar.count()).toBe(0)
  })

  it('resizes the sidebar by dragging, and keeps the width', async () => {
    const { page } = await open(demoFile())
    const sidebar = page.locator('.sidebar')
    const before = (await sidebar.boundingBox())!.width
    const handle = (await page.locator('.resizer').boundingBox())!
    await page.mouse.move(handle.x + 2, handle.y + 200)
    await page.mouse.down()
    await page.mouse.move(handle.x + 162, handle.y + 200, { steps: 5 })
    await page.mouse.up()
    await expect.poll(async () => (await sidebar.boundingBox())!.width).toBeGreaterThan(before + 100)
    await page.reload()
    await expect
      .poll(async () => (await page.locator('.sidebar').boundingBox())!.width)
      .toBeGreaterThan(before + 100)
  })

  it('follows the system`s dark theme', async () => {
    const light = await open(demoFile())
    const dark = await openPage(session.browser(), light.served.url, 'dark')
    const background = (page: Page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor)
    expect(await background(light.page)).toBe('rgb(255, 255, 255)')
    expect(await background(dark.page)).toBe('rgb(22, 24, 29)')
  })
})

describe('states', () => {
  it('an empty history says so', async () => {
    const { page } = await open(emptyFile())
    await expect
      .poll(() => page.locator('.sidebar .state').textContent())
      .toBe('This file has no conversations yet.')
  })

  it('a filter matching nothing says so', async () => {
    const { page } = await open(demoFile())
    await page.getByLabel('Filter conversations').fill('zzzz-nothing')
    await expect
      .poll(() => page.locator('.sidebar .state').textContent())
      .toBe('No conversation matches “zzzz-nothing”.')
  })
})

describe('hostile content', () => {
  it('runs no script, loads nothing remote, keeps links safe, and stays usable', async () => {
    const { page, requests, errors, served } = await open(hostileFile())
    await page.locator('.conversation', { hasText: '<script>' }).click()
    await expect.poll(() => cards(page).count()).toBe(5)
    const timeline = page.locator('[data-testid=timeline]')
    expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined()
    expect(await timeline.locator('script, iframe, img, object, embed').count()).toBe(0)
    // Raw HTML is shown as text.
    expect(await cards(page).first().textContent()).toContain('<script>window.__pwned = 1</script>')
    expect(await cards(page).first().locator('strong').textContent()).toBe('bold')
    expect(await cards(page).first().textContent()).toContain('<b>raw html</b>')
    // Only web links are links (the image's address among them: shown, never loaded); they open
    // outside, without an opener.
    const links = timeline.locator('.markdown a')
    expect(
      await links.evaluateAll((as) =>
        as.map((a) => [a.getAttribute('href'), a.getAttribute('target'), a.getAttribute('rel')]),
      ),
    ).toEqual([
      ['https://example.com/ok', '_blank', 'noopener noreferrer'],
      ['https://203.0.113.9/cat.png', '_blank', 'noopener noreferrer'],
    ])
    expect(await timeline.locator('.unsafe-link').allTextContents()).toEqual(['script link', 'data link'])
    expect(await timeline.locator('.image-placeholder').first().textContent()).toContain(
      '[image: remote image]',
    )
    // An unknown type, a NULL role, cells that are not JSON, a 5 MB message.
    expect(await page.locator('article[data-type=mystery_event] .badge').first().textContent()).toBe(
      'unknown type',
    )
    expect(await page.locator('article[data-seq="6"] .badge.error').first().textContent()).toBe(
      'invalid JSON: tool_calls, raw',
    )
    const huge = page.locator('article[data-seq="4"]')
    await huge.getByRole('button', { name: /Show all \(5,000,000 characters\)/ }).click()
    await expect
      .poll(() => huge.locator('pre.content').evaluate((el) => el.textContent?.length))
      .toBe(FIVE_MB)
    // Still usable.
    await page.getByText('a calm conversation').click()
    await expect.poll(() => cards(page).count()).toBe(1)
    expect(errors).toEqual([])
    expect(requests.filter((url) => !url.startsWith(served.origin))).toEqual([])
  })
})

describe('big files', () => {
  it('20,000 conversations and a 20,000-event conversation stay virtualized and page in as you scroll', async () => {
    const { page } = await open(bigFile(20_000, 20_000))
    await expect.poll(() => page.locator('.conversation').count()).toBeGreaterThan(5)
    expect(await page.locator('.list-row').count()).toBeLessThan(60)
    await page.locator('.conversation', { hasText: 'Event 1 of the long' }).first().click()
    await expect.poll(() => cards(page).count()).toBeGreaterThan(3)
    expect(await cards(page).count()).toBeLessThan(40)
    // Scroll to the end, page after page.
    for (let i = 0; i < 200; i++) {
      const last = await page.locator('[data-testid=timeline] article.event').last().getAttribute('data-seq')
      if (last === '20000') break
      await page.locator('[data-testid=timeline]').evaluate((el) => el.scrollTo(0, el.scrollHeight))
      await page.waitForTimeout(50)
    }
    await expect.poll(() => cards(page).last().getAttribute('data-seq')).toBe('20000')
    expect(await cards(page).count()).toBeLessThan(40)
  })

  it('jumps to the newest events of a long conversation, and opens one from the address', async () => {
    const { page, served } = await open(bigFile(10, 20_000))
    const url = new URL(served.url)
    url.searchParams.set('conversation', 'long')
    await page.goto(url.toString())
    await expect.poll(() => cards(page).first().getAttribute('data-seq')).toBe('1')
    await page.getByRole('button', { name: 'Jump to the newest events ↓' }).click()
    await expect.poll(() => cards(page).last().getAttribute('data-seq')).toBe('20000')
    expect(await page.getByRole('button', { name: 'Jump to the newest events ↓' }).count()).toBe(0)
    // The End key does the same from the start.
    await page.getByRole('button', { name: 'Show from the first event' }).click()
    await expect.poll(() => cards(page).first().getAttribute('data-seq')).toBe('1')
    await page.keyboard.press('End')
    await expect.poll(() => cards(page).last().getAttribute('data-seq')).toBe('20000')
    // Home goes back to the first event, at the top of the view.
    await page.keyboard.press('Home')
    await expect.poll(() => cards(page).first().getAttribute('data-seq')).toBe('1')
    await expect.poll(() => page.locator('[data-testid=timeline]').evaluate((el) => el.scrollTop)).toBe(0)
    await page.screenshot({ path: join(tempDir(), 'big.png') })
  })
  it('after End, scrolling up loads older pages and keeps the events on screen in place', async () => {
    const { page } = await open(bigFile(3, 1000))
    await page.locator('.conversation', { hasText: 'Event 1 of the long' }).click()
    await page.locator('[data-testid=timeline]').focus()
    await page.keyboard.press('End')
    await expect.poll(() => cards(page).last().getAttribute('data-seq')).toBe('1000')
    const timeline = page.locator('[data-testid=timeline]')
    // The card at the top of the view, and where it is on screen.
    const topCard = () =>
      timeline.evaluate((el) => {
        const top = el.getBoundingClientRect().top
        const card = [...el.querySelectorAll('article')].find(
          (a) => a.getBoundingClientRect().bottom > top + 60,
        )
        return { seq: card?.getAttribute('data-seq'), y: Math.round(card!.getBoundingClientRect().top - top) }
      })
    await timeline.evaluate((el) => el.scrollTo(0, 0))
    // The first loaded event (801) reaches the top of the view, and stays there while the page before
    // it loads (without the anchoring, the view would show that page's first events instead).
    await expect.poll(async () => (await topCard()).seq).toBe('801')
    const before = await topCard()
    await expect.poll(() => cards(page).first().getAttribute('data-seq')).not.toBe('801')
    await page.waitForTimeout(200)
    const after = await topCard()
    expect(after.seq).toBe(before.seq)
    expect(Math.abs(after.y - before.y)).toBeLessThan(150)
    // On up to the first event, by scrolling only.
    for (let i = 0; i < 20; i++) {
      if ((await cards(page).first().getAttribute('data-seq')) === '1') break
      await timeline.evaluate((el) => el.scrollTo(0, 0))
      await page.waitForTimeout(150)
    }
    await timeline.evaluate((el) => el.scrollTo(0, 0))
    await expect.poll(() => cards(page).first().getAttribute('data-seq')).toBe('1')
  })
})

describe('search', () => {
  it('finds words across conversations with the match marked, filters, and jumps to the event', async () => {
    const { page } = await open(demoFile())
    await expect.poll(() => page.locator('.conversation').count()).toBe(7)
    await page.keyboard.press('/')
    await page.keyboard.type('umbrella')
    const hits = page.locator('.hits .hit')
    await expect.poll(() => hits.count()).toBe(2)
    expect(await hits.locator('mark').first().textContent()).toBe('umbrella')
    // The keyboard goes from the field into the hits and back.
    await page.keyboard.press('ArrowDown')
    expect(await hits.first().evaluate((el) => el === document.activeElement)).toBe(true)
    await page.keyboard.press('ArrowDown')
    expect(await hits.nth(1).evaluate((el) => el === document.activeElement)).toBe(true)
    await page.keyboard.press('ArrowUp')
    await page.keyboard.press('ArrowUp')
    expect(
      await page.getByLabel('Search all conversations').evaluate((el) => el === document.activeElement),
    ).toBe(true)
    await page.getByLabel('Event type').selectOption('assistant_message')
    await expect.poll(() => hits.count()).toBe(1)
    await hits.first().click()
    await expect.poll(() => page.locator('.conversation-header h2').textContent()).toBe('demo-weather-paris')
    await expect
      .poll(() => page.locator('.timeline-row.highlighted article').getAttribute('data-seq'))
      .toBe('5')
    expect(await page.locator('.search-panel').count()).toBe(0)
    await page.getByLabel('Search all conversations').focus()
    expect(await page.locator('.search-panel').count()).toBe(1)
    await page.keyboard.press('Escape')
    expect(await page.locator('.search-panel').count()).toBe(0)
  })

  it('finds inside the open conversation, next and previous', async () => {
    const { page } = await open(demoFile())
    await page.getByText('Explain an index in SQLite').click()
    await page.getByLabel('Find in conversation').fill('SQLite')
    await expect.poll(() => page.locator('.find-count').textContent()).toBe('– of 6')
    await page.getByRole('button', { name: 'Next match' }).click()
    await expect
      .poll(() => page.locator('.timeline-row.highlighted article').getAttribute('data-seq'))
      .toBe('1')
    await page.getByRole('button', { name: 'Next match' }).click()
    await expect
      .poll(() => page.locator('.timeline-row.highlighted article').getAttribute('data-seq'))
      .toBe('3')
    await page.getByRole('button', { name: 'Previous match' }).click()
    await expect.poll(() => page.locator('.find-count').textContent()).toBe('1 of 6')
  })

  it('jumps deep into a long conversation, loading from just before the hit', async () => {
    const { page } = await open(bigFile(10, 20_000))
    await page.getByLabel('Search all conversations').fill('"Event 15000 of"')
    await page.locator('.hits .hit', { hasText: '#15000' }).first().click()
    await expect
      .poll(() => page.locator('.timeline-row.highlighted article').getAttribute('data-seq'), {
        timeout: 10_000,
      })
      .toBe('15000')
    expect(await page.getByRole('button', { name: 'Show from the first event' }).count()).toBe(1)
  })
})

describe('live', () => {
  const atBottom = (page: Page) =>
    page
      .locator('[data-testid=timeline]')
      .evaluate((el) => el.scrollTop + el.clientHeight >= el.scrollHeight - 2)

  it('at the bottom (after End, or scrolled there) the view follows new events; scrolled up, a pill counts them', async () => {
    const db = bigFile(3, 300)
    const { page } = await open(db)
    await page.locator('.conversation', { hasText: 'Event 1 of the long' }).click()
    await expect.poll(() => cards(page).count()).toBeGreaterThan(3)
    // End in the list goes to its last conversation; in the timeline, to the newest event.
    await page.locator('[data-testid=timeline]').focus()
    await page.keyboard.press('End')
    await expect.poll(() => cards(page).last().getAttribute('data-seq')).toBe('300')
    await expect.poll(() => atBottom(page)).toBe(true)
    appendEvent(db, 'long', 'live one')
    await expect.poll(() => cards(page).last().getAttribute('data-seq'), { timeout: 5000 }).toBe('301')
    await expect.poll(() => atBottom(page)).toBe(true)
    expect(await page.locator('.new-events').count()).toBe(0)

    // Scrolled up: the view stays, and says what arrived; the pill takes you down.
    const timeline = page.locator('[data-testid=timeline]')
    await timeline.evaluate((el) => el.scrollBy(0, -600))
    appendEvent(db, 'long', 'live two')
    await expect
      .poll(() => page.locator('.new-events').textContent(), { timeout: 5000 })
      .toBe('1 new event ↓')
    expect(await atBottom(page)).toBe(false)
    await expectAccessible(page, 'timeline with new events')
    await page.locator('.new-events').click()
    await expect.poll(() => atBottom(page)).toBe(true)
    await expect.poll(() => cards(page).last().getAttribute('data-seq')).toBe('302')

    // Scrolled back to the bottom by hand: following again.
    await timeline.evaluate((el) => el.scrollBy(0, -600))
    await timeline.evaluate((el) => el.scrollTo(0, el.scrollHeight))
    await page.waitForTimeout(100)
    appendEvent(db, 'long', 'live three')
    await expect.poll(() => cards(page).last().getAttribute('data-seq'), { timeout: 5000 }).toBe('303')
    await expect.poll(() => atBottom(page)).toBe(true)
    expect(await page.locator('.new-events').count()).toBe(0)
  })
})

describe('export menu', () => {
  it('arrow keys move through the formats without downloading; Enter downloads the one chosen', async () => {
    const { page } = await open(demoFile())
    await page.getByText('What is the weather in Paris').click()
    let downloads = 0
    page.on('download', () => downloads++)
    const button = page.locator('.conversation-header').getByRole('button', { name: 'Export' })
    await button.focus()
    await page.keyboard.press('ArrowDown')
    const menu = page.getByRole('menu', { name: 'Export' })
    await expect.poll(() => focusedText(page)).toBe('Markdown transcript')
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('ArrowDown')
    await expect.poll(() => focusedText(page)).toBe('OpenAI messages (JSONL)')
    await page.keyboard.press('ArrowUp')
    await expect.poll(() => focusedText(page)).toBe('JSON (events as the chat app stores them)')
    await expectAccessible(page, 'export menu')
    expect(downloads).toBe(0)
    // Esc closes and gives focus back to the button.
    await page.keyboard.press('Escape')
    expect(await menu.count()).toBe(0)
    expect(await button.evaluate((el) => el === document.activeElement)).toBe(true)
    await page.keyboard.press('Enter')
    await page.keyboard.press('End')
    const download = page.waitForEvent('download')
    await page.keyboard.press('Enter')
    expect((await download).suggestedFilename()).toBe('demo-weather-paris.jsonl')
    expect(await menu.count()).toBe(0)
  })
})

describe('find while the index builds', () => {
  it('says "indexing… N%" instead of "no match", then searches again when the index is ready', async () => {
    const { page } = await open(demoFile())
    // The demo indexes in a moment: hold back its first answers as a big file would give them.
    let held = 0
    await page.route('**/api/search.find', async (route) => {
      if (held++ < 2)
        return route.fulfill({
          json: {
            ok: true,
            value: {
              hits: [],
              total: 0,
              order: 'newest',
              capped: false,
              ranked: 0,
              expression: null,
              status: { state: 'building', indexed: 42, total: 100 },
            },
          },
        })
      return route.continue()
    })
    await page.getByText('Explain an index in SQLite').click()
    const header = page.locator('.conversation-header')
    const height = (await header.boundingBox())!.height
    await page.getByLabel('Find in conversation').fill('SQLite')
    await expect.poll(() => page.locator('.find-count').textContent()).toBe('indexing… 42%')
    expect((await header.boundingBox())!.height).toBe(height)
    await expectAccessible(page, 'find while indexing')
    await expect.poll(() => page.locator('.find-count').textContent(), { timeout: 5000 }).toBe('– of 6')
    expect((await header.boundingBox())!.height).toBe(height)
  })
})

describe('a file that goes away', () => {
  it('says so once, with "Reopen", instead of an error in every panel', async () => {
    const { page } = await open(demoFile())
    await page.getByText('Ping?').click()
    await expect.poll(() => cards(page).count()).toBe(2)
    // What the server answers once the file was moved or replaced (the server side is tested with it).
    let gone = true
    const refuse = { ok: false, reason: 'file_replaced', message: 'chat_history.db was replaced on disk.' }
    await page.route('**/api/**', (route) =>
      gone && !route.request().url().includes('/api/changes')
        ? route.fulfill({ json: refuse })
        : route.continue(),
    )
    await page.evaluate(() => window.dispatchEvent(new Event('focus')))
    await page.getByRole('button', { name: 'Storage' }).click()
    const alert = page.getByRole('alert')
    await expect
      .poll(() => alert.textContent())
      .toContain('This file can no longer be read where it was opened.')
    expect(await page.getByText('Internal error.').count()).toBe(0)
    await expectAccessible(page, 'file gone')
    gone = false
    await page.keyboard.press('Escape')
    await alert.getByRole('button', { name: 'Reopen' }).click()
    await expect.poll(() => alert.count()).toBe(0)
    await expect.poll(() => page.locator('.conversation').count()).toBe(7)
  })
})

describe('a file that goes away, for real', () => {
  it('a served file moved away shows the banner; moved back, Reopen reads it again', async () => {
    const db = demoFile()
    const { page } = await open(db)
    await page.getByText('Ping?').click()
    await expect.poll(() => cards(page).count()).toBe(2)
    const away = `${db}.moved`
    renameSync(db, away)
    // Whatever notices first (the file watcher, or asking for something new) leads to the banner.
    await page.getByRole('button', { name: 'Storage' }).click()
    const alert = page.getByRole('alert')
    await expect
      .poll(() => alert.textContent(), { timeout: 10_000 })
      .toContain('This file can no longer be read where it was opened.')
    expect(await page.getByText('Internal error.').count()).toBe(0)
    await page.keyboard.press('Escape')
    renameSync(away, db)
    await alert.getByRole('button', { name: 'Reopen' }).click()
    await expect.poll(() => alert.count()).toBe(0)
    await expect.poll(() => page.locator('.conversation').count()).toBe(7)
  })
})

describe('addresses', () => {
  it('names the conversation, tab, event and find query; Back, Forward and reload keep the place', async () => {
    const { page, served } = await open(demoFile())
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'])
    const params = async () => Object.fromEntries(new URL(page.url()).searchParams)
    // The token is read, kept for this tab, and taken out of the address.
    await expect.poll(() => page.locator('.conversation').count()).toBe(7)
    expect(page.url()).not.toContain(served.token)
    await page.getByText('What is the weather in Paris').click()
    await expect.poll(params).toEqual({ conversation: 'demo-weather-paris' })
    expect(await page.title()).toBe('demo-weather-paris — chat_history.db — Chat History Viewer')
    await page.getByRole('tab', { name: 'Model view' }).click()
    await expect.poll(params).toEqual({ conversation: 'demo-weather-paris', tab: 'model' })
    await page.goBack()
    await expect.poll(() => cards(page).count()).toBe(5)
    await page.goBack()
    await expect.poll(() => page.locator('.conversation-view').count()).toBe(0)
    await page.goForward()
    await page.goForward()
    await expect
      .poll(() => page.getByRole('tab', { name: 'Model view' }).getAttribute('aria-selected'))
      .toBe('true')
    await page.reload()
    await expect
      .poll(() => page.getByRole('tab', { name: 'Model view' }).getAttribute('aria-selected'))
      .toBe('true')

    // An event: following a tool call's link is a place of its own.
    await page.getByRole('tab', { name: 'Timeline' }).click()
    await page.getByRole('button', { name: '↓ go to the result' }).first().click()
    await expect.poll(params).toEqual({ conversation: 'demo-weather-paris', event: '3' })
    await page.reload()
    await expect.poll(() => highlighted(page)).toBe('3')
    // "Copy link" gives the event's address, without the token.
    await page.locator('article[data-seq="4"]').getByRole('button', { name: 'Copy link' }).click()
    const link = await page.evaluate(() => navigator.clipboard.readText())
    expect(link).not.toContain(served.token)
    expect(Object.fromEntries(new URL(link).searchParams)).toEqual({
      conversation: 'demo-weather-paris',
      event: '4',
    })
    await page.goto(link)
    await expect.poll(() => highlighted(page)).toBe('4')
    await expectAccessible(page, 'an event opened from its link')
    // Pasted into a new tab of the same browser, the link opens too (the token is kept by the origin).
    const tab = await page.context().newPage()
    await tab.goto(link)
    await expect.poll(() => highlighted(tab)).toBe('4')
    await tab.close()
    // The find query.
    await page.getByLabel('Find in conversation').fill('Paris')
    await expect.poll(async () => (await params()).find).toBe('Paris')
    await page.reload()
    expect(await page.getByLabel('Find in conversation').inputValue()).toBe('Paris')
    expect(await page.evaluate(() => history.length)).toBeGreaterThan(1)
  })
})

describe('accessibility', () => {
  it('axe finds nothing serious or critical on the main screens, light and dark', async () => {
    const { page } = await open(demoFile())
    await expect.poll(() => page.locator('.conversation').count()).toBe(7)
    await expect.poll(() => page.locator('.badge.warn').count()).toBeGreaterThan(0)
    await expectAccessible(page, 'start')
    await page.getByText('What is the weather in Paris').click()
    await page.locator('article[data-seq="2"]').getByText('Inspect').click()
    await expectAccessible(page, 'timeline')
    // A highlighted event (a link followed) with its JSON open: colored text on the highlight.
    await page.getByRole('button', { name: '↓ go to the result' }).first().click()
    await page.locator('.timeline-row.highlighted').getByText('Inspect').click()
    await expectAccessible(page, 'highlighted event')
    await page.getByText('Summarise the plot of Hamlet').click()
    await page.waitForSelector('article[data-type=assistant_delta_group]')
    await expectAccessible(page, 'streamed reply')
    await page.getByRole('tab', { name: 'Model view' }).click()
    await page.waitForSelector('.message')
    await expectAccessible(page, 'model view')
    await page.getByRole('tab', { name: 'Problems' }).click()
    await page.waitForSelector('.findings li')
    await expectAccessible(page, 'problems')
    await page.getByLabel('Search all conversations').fill('sqlite')
    await page.waitForSelector('.hits .hit')
    await expectAccessible(page, 'search')
    await page.keyboard.press('Escape')
    await page.getByRole('button', { name: 'Storage' }).click()
    await page.waitForSelector('table.storage')
    await expectAccessible(page, 'storage')
    await page.keyboard.press('Escape')
    // A narrow window: code blocks scroll sideways (and so must take focus), the header wraps.
    await page.setViewportSize({ width: 900, height: 650 })
    await page.getByText('Explain an index in SQLite').click()
    await page.waitForSelector('.code-block pre')
    await expectAccessible(page, 'code blocks in a narrow window')
    const { page: hostile } = await open(hostileFile())
    await hostile.locator('.conversation', { hasText: '<script>' }).click()
    await expect.poll(() => cards(hostile).count()).toBe(5)
    await expectAccessible(hostile, 'hostile content')
  })
})
