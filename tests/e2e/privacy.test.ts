// The Privacy panel in Debian's Chromium against `chv serve`: findings masked, grouped by rule, each a
// link to its event; removed for good with the verification shown.
import { describe, expect, it } from 'vitest'
import { leakyHistory } from '../helpers/secrets'
import { expectAccessible, useBrowser } from './browser'

const session = useBrowser()

describe('privacy', () => {
  it('scans, shows masked findings by rule, jumps to one, removes them for good and says nothing is left', async () => {
    const { path, secrets } = leakyHistory()
    const { page } = await session.open(path, '--write')
    await expect.poll(() => page.locator('.conversation').count()).toBeGreaterThan(0)
    await page.getByRole('button', { name: 'Privacy…' }).click()
    const panel = page.getByRole('dialog', { name: 'Privacy' })
    await panel.getByRole('button', { name: 'Scan the history' }).click()
    await expect.poll(() => panel.textContent()).toContain('75 findings in')
    const text = (await panel.textContent()) ?? ''
    for (const { secret } of secrets) expect(text).not.toContain(secret.slice(4, -2))
    expect(await panel.locator('h3').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringContaining('GitHub token')]),
    )
    await expectAccessible(page, 'the Privacy panel with findings')
    // A finding is a way to its event.
    await panel
      .getByRole('button', { name: /^leaky-\d #\d+$/ })
      .first()
      .click()
    await expect.poll(() => page.locator('[data-testid=timeline] article.event').count()).toBeGreaterThan(0)
    await page.getByRole('button', { name: 'Privacy…' }).click()
    await panel.getByRole('button', { name: 'Scan the history' }).click()
    // The demo file was written without secure_delete: stale copies sit in its freed space.
    await panel.getByRole('checkbox', { name: /Rewrite the file/ }).check()
    await panel.getByRole('button', { name: 'Redact all 75 findings…' }).click()
    const confirm = page.getByRole('alertdialog', { name: 'Remove these secrets for good?' })
    expect(await confirm.textContent()).toContain('This cannot be undone')
    await confirm.getByRole('button', { name: 'Remove for good' }).click()
    await expect
      .poll(() => panel.locator('.result-message').first().textContent(), { timeout: 20_000 })
      .toContain("Verified: no copy left in the file, its -wal or the app's data folder.")
    await expect.poll(() => panel.textContent()).toContain('No secrets found')
    await expectAccessible(page, 'the Privacy panel after removing for good')
  })
})
