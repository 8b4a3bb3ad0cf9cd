// The desktop app end to end, where it can run: an Electron binary (npm ci does not download it since
// Electron 42; `npm start` does, online), better-sqlite3 built for it (npm run native:electron), and a
// display. Then the development app under Playwright, and a packaged one (electron-builder --dir).
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { createServer } from 'node:net'
import { dirname, join } from 'node:path'
import { _electron as electron, chromium } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { electronBindingPath } from '../../src/main/electron-binding'
import { demoFile } from '../helpers/demo'
import { tempDir } from '../helpers/files'

const APP = new URL('../..', import.meta.url).pathname
const require = createRequire(import.meta.url)

/** The binary if it is there; never require('electron'), which would start a download. */
function electronBinary(): string | undefined {
  try {
    const dir = dirname(require.resolve('electron/package.json'))
    const binary = join(dir, 'dist', readFileSync(join(dir, 'path.txt'), 'utf8'))
    return existsSync(binary) ? binary : undefined
  } catch {
    return undefined
  }
}

function missing(): string | undefined {
  const binding = electronBindingPath(
    {
      electron: (require('electron/package.json') as { version: string }).version,
      betterSqlite3: (require('better-sqlite3/package.json') as { version: string }).version,
      platform: process.platform,
      arch: process.arch,
    },
    { nodeModules: join(APP, 'node_modules') },
  )
  if (!electronBinary()) return 'no Electron binary here (it downloads on first npm start; offline it cannot)'
  if (!existsSync(binding)) return 'better-sqlite3 is not built for Electron (npm run native:electron)'
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY)
    return 'no display (run under xvfb-run)'
  return undefined
}

const why = missing()
if (why) console.warn(`Electron end-to-end tests skipped: ${why}.`)

const freePort = () =>
  new Promise<number>((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => done(port))
    })
  })

describe.skipIf(why)('the Electron app', () => {
  it('opens a database given on the command line in a sandboxed window', async () => {
    const db = demoFile()
    const app = await electron.launch({
      executablePath: electronBinary()!,
      args: [APP, db],
      env: { ...process.env, CHV_DATA_DIR: tempDir() },
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
      // The Copy buttons: the app's page may write to the clipboard, and only that.
      expect(await window.evaluate(() => navigator.clipboard.writeText('x').then(() => 'ok'))).toBe('ok')
    } finally {
      await app.close()
    }
  })

  // Linux and Windows lay out an unpacked folder with the executable at its top (macOS: an .app).
  it.skipIf(process.platform === 'darwin')(
    'packages (electron-builder --dir), and the packaged app starts on a file',
    { timeout: 600_000 },
    async () => {
      const output = tempDir()
      const built = spawnSync('npx', ['electron-builder', '--dir', `--config.directories.output=${output}`], {
        cwd: APP,
        encoding: 'utf8',
      })
      expect(built.status, built.stderr).toBe(0)
      const unpacked = join(
        output,
        readdirSync(output).find((d) => d.endsWith('-unpacked'))!,
      )
      const resources = join(unpacked, 'resources')
      // Only the Electron build of better-sqlite3 ships, outside the asar; no sources, no Node build.
      expect(readdirSync(join(resources, 'native')).filter((f) => f.endsWith('.node'))).toHaveLength(1)
      expect(existsSync(join(resources, 'app.asar.unpacked/node_modules/better-sqlite3/deps'))).toBe(false)
      // The fuses turn off --inspect, so Playwright's Electron driver cannot attach: Chromium's own
      // debugging port can, and shows what the window shows.
      const port = await freePort()
      const executable = join(
        unpacked,
        process.platform === 'win32' ? 'Chat History Viewer.exe' : 'chat-history-viewer',
      )
      const child = spawn(executable, [`--remote-debugging-port=${port}`, demoFile()], {
        env: { ...process.env, CHV_DATA_DIR: tempDir() },
        stdio: 'ignore',
      })
      try {
        let browser
        for (let i = 0; i < 60 && !browser; i++) {
          browser = await chromium.connectOverCDP(`http://127.0.0.1:${port}`).catch(() => undefined)
          if (!browser) await new Promise((done) => setTimeout(done, 500))
        }
        const page = browser!.contexts()[0]!.pages()[0]!
        await page.waitForSelector('.conversation')
        expect(await page.locator('.conversation').count()).toBe(7)
        await browser!.close()
      } finally {
        child.kill()
      }
    },
  )
})
