// Real Chromium (Debian's) driven by Playwright, against `chv serve` on a real file.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import AxeBuilder from '@axe-core/playwright'
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, expect } from 'vitest'

import { CHV } from '../helpers/chv-cli'
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

export interface Served {
  url: string
  origin: string
  token: string
  process: ChildProcess
  stop(): Promise<void>
}

/** Starts `chv serve` and resolves once it printed its address. */
export function serve(db: string, ...flags: string[]): Promise<Served> {
  return new Promise((resolve, reject) => {
    // The app's data folder (search index, snapshots) in a temporary folder, never the user's.
    const dataDir = mkdtempSync(join(tmpdir(), 'chv-e2e-data-'))
    const child = spawn(process.execPath, [CHV, 'serve', db, ...flags], {
      env: { ...process.env, CHV_DATA_DIR: dataDir },
    })
    // Gone with the server ('close', not 'exit': stop() replaces the exit listeners).
    child.once('close', () => rmSync(dataDir, { recursive: true, force: true }))
    let out = ''
    let err = ''
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    child.on('exit', (code) => reject(new Error(`chv serve exited (${code}): ${err}`)))
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      const match = /(http:\/\/[^\s/]+)\/#token=(\S+)/.exec(out)
      if (!match) return
      resolve({
        url: `${match[1]}/#token=${match[2]}`,
        origin: match[1]!,
        token: match[2]!,
        process: child,
        stop: () =>
          new Promise<void>((done) => {
            child.removeAllListeners('exit')
            child.once('exit', () => done())
            child.kill('SIGTERM')
          }),
      })
    })
  })
}

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}

/** A page that records every request it makes, to check none leaves the server. */
export async function openPage(browser: Browser, url: string, colorScheme: 'light' | 'dark' = 'light') {
  const context = await browser.newContext({ colorScheme, viewport: { width: 1280, height: 800 } })
  const page: Page = await context.newPage()
  // Fail a step with its line, well before the test's own timeout.
  page.setDefaultTimeout(10_000)
  const requests: string[] = []
  const errors: string[] = []
  page.on('request', (r) => requests.push(r.url()))
  page.on('pageerror', (e) => errors.push(e.message))
  await page.goto(url)
  return { page, requests, errors }
}

/**
 * One browser for a test file, and `open(db, flags…)`: `chv serve` on the file and a page on it, both
 * stopped after each test. `browser()` for extra pages.
 */
export function useBrowser(colorScheme: 'light' | 'dark' = 'light') {
  let browser: Browser
  const running: Served[] = []
  beforeAll(async () => {
    browser = await launch()
  })
  afterAll(async () => browser?.close())
  afterEach(async () => {
    for (const s of running.splice(0)) await s.stop()
  })
  return {
    browser: () => browser,
    async open(db: string, ...flags: string[]) {
      const served = await serve(db, ...flags)
      running.push(served)
      return { ...(await openPage(browser, served.url, colorScheme)), served }
    },
  }
}

/** What axe-core finds on the page as it is now, grouped by rule (one line per rule, with where). */
export async function axeViolations(page: Page, impacts: readonly string[] = ['serious', 'critical']) {
  const results = await new AxeBuilder({ page }).analyze()
  return results.violations
    .filter((v) => impacts.includes(v.impact ?? ''))
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
}

/**
 * Fails when axe finds a serious or critical problem on the page, in both color schemes (the page is
 * re-rendered in the other scheme and back). `screen` names the screen in the failure message.
 */
export async function expectAccessible(page: Page, screen: string) {
  const found: string[] = []
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme })
    // Let transitions and the new colors settle before reading them.
    await page.waitForTimeout(50)
    for (const v of await axeViolations(page)) found.push(`${screen}, ${colorScheme}: ${v}`)
  }
  await page.emulateMedia({ colorScheme: null })
  expect(found).toEqual([])
}

/** Where screenshots go to be looked at: the folder CHV_SHOTS names; none are taken without it. */
export const SHOTS = process.env.CHV_SHOTS

/** A screenshot named `name` in CHV_SHOTS, when it is set. */
export async function shot(page: Page, name: string): Promise<void> {
  if (SHOTS) await page.screenshot({ path: join(SHOTS, `${name}.png`) })
}
