// One odd row never blanks the page: each odd row's conversation opens in Chromium with its cards.
import { describe, expect, it } from 'vitest'
import { allOddRowsFile } from '../helpers/odd-rows'
import { useBrowser } from './browser'

const session = useBrowser()

describe('odd rows in the page', () => {
  it.each([false, true])('each conversation opens with its cards (untyped table: %s)', async (untyped) => {
    const { page, errors } = await session.open(allOddRowsFile(untyped))
    const list = page.locator('.conversation')
    await expect.poll(() => list.count()).toBeGreaterThan(0)
    const count = await list.count()
    const empty: string[] = []
    for (let i = 0; i < count; i++) {
      const item = list.nth(i)
      const name = (await item.textContent()) ?? `#${i}`
      await item.click()
      // Cards, or for an id stored as a BLOB or number (not openable by its text) a message: never blank.
      const shown = async () =>
        (await page.locator('article').count()) > 0 ||
        !/Loading/.test(
          (await page
            .locator('main .state')
            .first()
            .textContent()
            .catch(() => '')) ?? 'Loading',
        )
      await expect.poll(shown, { message: name, timeout: 15_000 }).toBe(true)
      if ((await page.locator('article').count()) === 0)
        empty.push(
          `${name}: ${(
            await page
              .locator('main')
              .innerText()
              .catch(() => '?')
          ).slice(0, 300)}`,
        )
      expect(await page.locator('#root').innerText(), name).not.toBe('')
    }
    expect(errors).toEqual([])
    // Even a conversation whose id is stored as a BLOB or a number (found by its text all the same).
    expect(empty).toEqual([])
  })
})
