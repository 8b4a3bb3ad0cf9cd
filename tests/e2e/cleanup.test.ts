// Cleanup from the UI (compaction with its preview, delete, clear, undo) and live updates while another
// process writes, in Debian's Chromium against `chv serve`.
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { demoFile } from '../helpers/demo'
import { expectAccessible, useBrowser } from './browser'
import { appendEvent, bigFile } from './fixtures'

const session = useBrowser()

async function open(db: string, ...flags: string[]) {
  const opened = await session.open(db, ...flags)
  await expect.poll(() => opened.page.locator('.conversation').count()).toBeGreaterThan(0)
  return opened
}

const row = (page: Page, text: string) => page.locator('.conversation', { hasText: text })

describe('cleanup in the UI', () => {
  it('read-only: shows what compaction would do, with every destructive button disabled and why', async () => {
    const { page } = await open(demoFile())
    await page.getByRole('button', { name: 'Clean up…' }).click()
    const panel = page.getByRole('dialog', { name: 'Clean up' })
    await expect.poll(() => panel.locator('.groups li').count()).toBe(1)
    expect(await panel.locator('.preview').textContent()).toBe('A prince avenges his father and everyone ')
    expect(await panel.locator('.read-only-note').textContent()).toContain('start chv serve with --write')
    expect(await panel.getByRole('button', { name: /Compact 1 reply/ }).isDisabled()).toBe(true)
    expect(await panel.getByRole('button', { name: 'Delete every conversation…' }).isDisabled()).toBe(true)
    await expectAccessible(page, 'the Clean up panel, read-only')
    await row(page, 'Ping?').click()
    expect(await page.getByRole('button', { name: 'Delete…' }).isDisabled()).toBe(true)
  })

  it('with --write: compacts after a confirmation (Cancel first), lists it in the undo journal, then undoes it', async () => {
    const { page } = await open(demoFile(), '--write')
    await expect.poll(() => row(page, 'Summarise the plot').textContent()).toContain('5 pending')
    await page.getByRole('button', { name: 'Clean up…' }).click()
    const panel = page.getByRole('dialog', { name: 'Clean up' })
    await panel.getByRole('button', { name: /Compact 1 reply/ }).click()
    const confirm = page.getByRole('alertdialog', { name: 'Compact streamed replies?' })
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Cancel')
    // Focus stays in the dialog, and Esc cancels it wherever focus is.
    for (let i = 0; i < 3; i++) await page.keyboard.press('Tab')
    expect(await page.evaluate(() => !!document.activeElement?.closest('[role=alertdialog]'))).toBe(true)
    await page.keyboard.press('Escape')
    await expect.poll(() => confirm.count()).toBe(0)
    await panel.getByRole('button', { name: /Compact 1 reply/ }).click()
    await confirm.getByRole('button', { name: 'Compact' }).click()
    await expect
      .poll(() => panel.locator('.result-message').textContent())
      .toContain('Compacted 1 reply (5 chunks removed)')
    await expect.poll(() => row(page, 'Summarise the plot').textContent()).not.toMatch(/\d pending/)
    await expect.poll(() => panel.locator('.snapshots li').count()).toBe(1)
    expect(await panel.locator('.snapshots li').textContent()).toMatch(
      /compact.*demo-stream-pending.*−5 events \+1 event/,
    )
    await expectAccessible(page, 'the Clean up panel after a change')
    await panel.locator('.snapshots').getByRole('button', { name: 'Undo' }).click()
    await expect
      .poll(() => panel.locator('.result-message').textContent())
      .toContain('Restored 5 events and removed 1')
    await expect.poll(() => row(page, 'Summarise the plot').textContent()).toContain('5 pending')
    expect(await panel.locator('.snapshots li').textContent()).toContain('undone')
  })

  it('a deleted conversation can be undone right away from the notice, and a full backup taken on request', async () => {
    const { page } = await open(demoFile(), '--write')
    await row(page, 'What breed is this cat').click()
    await page.getByRole('button', { name: 'Delete…' }).click()
    await page.getByRole('alertdialog').getByRole('button', { name: 'Delete' }).click()
    const notice = page.locator('.undo-notice')
    await expect.poll(() => notice.textContent()).toContain('Deleted 1 conversation (2 events).')
    await expect.poll(() => page.locator('.conversation').count()).toBe(6)
    await expectAccessible(page, 'the undo notice')
    await notice.getByRole('button', { name: 'Undo' }).click()
    await expect.poll(() => notice.textContent()).toContain('Undone.')
    await expect.poll(() => page.locator('.conversation').count()).toBe(7)
    await page.getByRole('button', { name: 'Clean up…' }).click()
    const panel = page.getByRole('dialog', { name: 'Clean up' })
    await panel.getByRole('button', { name: 'Back up now' }).click()
    await expect
      .poll(() => panel.locator('.result-message').textContent())
      .toMatch(/^Backed up to .*\.backup\.db/)
  })

  it('deletes a conversation, and clears everything only after typing the file name', async () => {
    const { page } = await open(demoFile(), '--write')
    await row(page, 'What breed is this cat').click()
    await page.getByRole('button', { name: 'Delete…' }).click()
    await page.getByRole('alertdialog').getByRole('button', { name: 'Delete' }).click()
    await expect.poll(() => page.locator('.conversation').count()).toBe(6)
    await page.getByRole('button', { name: 'Clean up…' }).click()
    await page.getByRole('button', { name: 'Delete every conversation…' }).click()
    const confirm = page.getByRole('alertdialog', { name: 'Delete every conversation?' })
    const go = confirm.getByRole('button', { name: 'Delete everything' })
    expect(await go.isDisabled()).toBe(true)
    await confirm.getByLabel('Confirmation').fill('chat_history.db')
    await go.click()
    await expect
      .poll(() => page.locator('.sidebar .state').textContent())
      .toBe('This file has no conversations yet.')
  })
})

describe('several conversations at once', () => {
  it('Ctrl+click picks conversations; they export together and are deleted together', async () => {
    const { page } = await open(demoFile(), '--write')
    await row(page, 'What breed is this cat').click({ modifiers: ['Control'] })
    await row(page, 'Ping?').click({ modifiers: ['Control'] })
    const bar = page.getByRole('toolbar', { name: 'Selected conversations' })
    expect(await bar.locator('span').first().textContent()).toBe('2 selected')
    const download = page.waitForEvent('download')
    await bar.getByRole('button', { name: 'Export' }).click()
    await page.getByRole('menuitem', { name: /^JSON/ }).click()
    const file = await download
    expect(file.suggestedFilename()).toBe('2-conversations.json')
    await bar.getByRole('button', { name: 'Delete 2…' }).click()
    expect(await page.getByRole('alertdialog').textContent()).toContain(
      '2 conversations: 4 events will be deleted',
    )
    await page.getByRole('alertdialog').getByRole('button', { name: 'Delete' }).click()
    await expect.poll(() => page.locator('.conversation').count()).toBe(5)
    expect(await bar.count()).toBe(0)
  })
})

describe('reclaiming space', () => {
  it('shows the free pages and gives them back with VACUUM after a confirmation', async () => {
    const db = bigFile(2000, 10)
    const { page } = await open(db, '--write')
    await page.getByRole('button', { name: 'Clean up…' }).click()
    const panel = page.getByRole('dialog', { name: 'Clean up' })
    await panel.getByRole('button', { name: 'Delete every conversation…' }).click()
    await page.getByRole('alertdialog').getByLabel('Confirmation').fill('big.db')
    await page.getByRole('alertdialog').getByRole('button', { name: 'Delete everything' }).click()
    const reclaim = panel.getByRole('button', { name: /^Reclaim \d+ KB \(VACUUM\)…$/ })
    await expect.poll(() => reclaim.isEnabled()).toBe(true)
    await reclaim.click()
    expect(await page.getByRole('alertdialog').textContent()).toContain('stop the chat app first')
    await page.getByRole('alertdialog').getByRole('button', { name: 'Vacuum' }).click()
    await expect
      .poll(() => panel.locator('.result-message').textContent())
      .toMatch(/^Vacuumed: the file went from [\d.]+ KB to [\d.]+ KB\. A full backup was taken first\.$/)
  })
})

describe('live updates', () => {
  it('the list and the open timeline show what another process writes', async () => {
    const db = demoFile()
    const { page } = await open(db)
    await row(page, 'Ping?').click()
    await expect.poll(() => page.locator('[data-testid=timeline] article.event').count()).toBe(2)
    appendEvent(db, 'demo-app-flow', 'written by the chat app')
    await expect
      .poll(() => page.locator('[data-testid=timeline] article.event').count(), { timeout: 5000 })
      .toBe(3)
    appendEvent(db, 'brand-new', 'a new conversation')
    await expect
      .poll(() => page.locator('.conversation .title').first().textContent(), { timeout: 5000 })
      .toBe('a new conversation')
  })

  it('scrolled up, the timeline stays put and says how many events arrived', async () => {
    const db = bigFile(3, 150)
    const { page } = await open(db)
    await row(page, 'Event 1 of the long').click()
    await expect.poll(() => page.locator('[data-testid=timeline] article.event').count()).toBeGreaterThan(3)
    appendEvent(db, 'long', 'late one')
    appendEvent(db, 'long', 'late two')
    const notice = page.locator('.new-events')
    await expect.poll(() => notice.textContent(), { timeout: 5000 }).toMatch(/^[12] new events? ↓$/)
    expect(await page.locator('[data-testid=timeline] article.event').first().getAttribute('data-seq')).toBe(
      '1',
    )
    await notice.click()
    await expect
      .poll(() => page.locator('[data-testid=timeline] article.event').last().getAttribute('data-seq'))
      .toBe('152')
  })
})
