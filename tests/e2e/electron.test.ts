// The packaged shell end to end, where an Electron binary exists (it cannot be downloaded here).
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { _electron as electron } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { demoFile } from '../helpers/demo'

function electronBinary(): string | undefined {
  try {
    const dir = dirname(createRequire(import.meta.url).resolve('electron/package.json'))
    const binary = join(dir, 'dist', readFileSync(join(dir, 'path.txt'), 'utf8'))
    return existsSync(binary) ? binary : undefined
  } catch {
    return undefined
  }
}

const binary = electronBinary()
const APP = new URL('../..', import.meta.url).pathname
if (!binary) {
  console.warn(
    'Electron end-to-end tests skipped: no Electron binary here (it downloads on first use; offline it cannot).',
  )
}

describe.skipIf(!binary)('the Electron app', () => {
  it('opens a database given on the command line in a sandboxed window', async () => {
    const app = await electron.launch({
      executablePath: binary!,
      args: [APP, demoFile()],
      env: { ...process.env, CHV_DATA_DIR: dirname(demoFile()) },
    })
    try {
      const window = await app.firstWindow()
      await window.waitForSelector('.conversation')
      expect(await window.locator('.conversation').count()).toBe(7)
      expect(await window.title()).toBe('chat_history.db — Chat History Viewer')
      expect(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe(
        'undefined',
      )
      expect(await window.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe(
        'undefined',
      )
      expect(window.url()).toMatch(/^app:\/\/renderer\/index\.html\?file=f1$/)
    } finally {
      await app.close()
    }
  })
})
