// npm run icon: renders build/icon.svg to build/icon.png (1024 px) with Debian's Chromium;
// electron-builder makes every platform's icon from that PNG.
import { readFileSync } from 'node:fs'
import { launch } from '../tests/e2e/browser'

const svg = readFileSync('build/icon.svg', 'utf8')
const browser = await launch()
const page = await browser.newPage({ viewport: { width: 1024, height: 1024 } })
await page.setContent(`<body style="margin:0;background:transparent">${svg}</body>`)
await page.locator('svg').screenshot({ path: 'build/icon.png', omitBackground: true })
await browser.close()
