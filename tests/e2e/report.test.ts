// Export, storage and integrity findings in the UI, in Debian's Chromium against `chv serve`.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { demoFile } from '../helpers/demo'
import { expectAccessible, useBrowser } from './browser'

const session = useBrowser()

describe('reports in the UI', () => {
  it('exports a conversation as a Markdown download', async () => {
    const { page } = await session.open(demoFile())
    await page.locator('.conversation', { hasText: 'What is the weather in Paris' }).click()
    const download = page.waitForEvent('download')
    await page.locator('.conversation-header').getByRole('button', { name: 'Export' }).click()
    await page.getByRole('menuitem', { name: 'Markdown transcript' }).click()
    const file = await download
    expect(file.suggestedFilename()).toBe('demo-weather-paris.md')
    const text = readFileSync((await file.path())!, 'utf8')
    expect(text).toMatch(/^# Conversation demo-weather-paris\n/)
    expect(text).toContain('Tool call `get_weather`')
  })

  it('shows where the bytes go', async () => {
    const { page } = await session.open(demoFile())
    await page.getByRole('button', { name: 'Storage' }).click()
    const panel = page.getByRole('dialog', { name: 'Storage' })
    await expect.poll(() => panel.locator('table.storage tbody tr').count()).toBe(5)
    expect(await panel.locator('.storage-summary').textContent()).toContain(
      '33 events. Compaction would merge 5 chunk rows into 1 message;',
    )
    expect(await panel.locator('.largest li').first().textContent()).toContain('demo-sql-help')
    await expectAccessible(page, 'storage panel')
    await page.keyboard.press('Escape')
    await expect.poll(() => panel.count()).toBe(0)
  })

  it('marks pending chunks in the list once (not again as a problem), lists them, and says when there are none', async () => {
    const { page } = await session.open(demoFile())
    await expect
      .poll(() =>
        page.locator('.conversation', { hasText: 'Summarise the plot' }).locator('.badge').allTextContents(),
      )
      .toEqual(['5 pending'])
    // The demo's tool calls all have their results: nothing is flagged as a problem.
    expect(await page.locator('.conversation .badge.error').count()).toBe(0)
    await page.locator('.conversation', { hasText: 'Summarise the plot' }).click()
    await page.getByRole('tab', { name: 'Problems' }).click()
    await expect.poll(() => page.locator('.findings li').textContent()).toContain('pending_deltas')
    await expectAccessible(page, 'problems tab')
    // Each finding links to its event.
    await page.locator('.findings').getByRole('button', { name: 'event #6' }).click()
    await expect
      .poll(() => page.locator('.timeline-row.highlighted article').getAttribute('data-type'))
      .toBe('assistant_delta_group')
    expect(new URL(page.url()).searchParams.get('event')).toBe('6')
    await page.locator('.conversation', { hasText: 'Ping?' }).click()
    await page.getByRole('tab', { name: 'Problems' }).click()
    await expect
      .poll(() => page.locator('.state').textContent())
      .toBe('No problems found in this conversation.')
  })
})
