#!/usr/bin/env node
// Renders build/icon.svg to build/icon.png (1024 px) with Debian's Chromium; electron-builder makes
// every platform's icon from that PNG. Run it after changing the SVG.
import { readFileSync } from 'node:fs'
import { chromium } from 'playwright-core'

const svg = readFileSync('build/icon.svg', 'utf8')
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
})
const page = await browser.newPage({ viewport: { width: 1024, height: 1024 } })
await page.setContent(`<body style="margin:0;background:transparent">${svg}</body>`)
await page.locator('svg').screenshot({ path: 'build/icon.png', omitBackground: true })
await browser.close()
