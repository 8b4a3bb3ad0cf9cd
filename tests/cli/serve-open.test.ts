// chv serve on several files, and --open where there is no browser to open.
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { browserCommand } from '../../src/cli/serve'
import { demoFile } from '../helpers/demo'
import { tempDir } from '../helpers/files'

const CHV = fileURLToPath(new URL('../../out/cli/chv.js', import.meta.url))

describe('chv serve --open', () => {
  it('opens a browser with the platform`s opener, and knows when there is no display', () => {
    expect(browserCommand('darwin', {})).toEqual(['open'])
    expect(browserCommand('win32', {})).toEqual(['cmd', '/c', 'start', ''])
    expect(browserCommand('linux', { DISPLAY: ':0' })).toEqual(['xdg-open'])
    expect(browserCommand('linux', { WAYLAND_DISPLAY: 'wayland-0' })).toEqual(['xdg-open'])
    expect(browserCommand('linux', {})).toBeUndefined()
  })

  it('serves several files, one address each, and says once that it could not open a browser', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, CHV_DATA_DIR: tempDir() }
    delete env.DISPLAY
    delete env.WAYLAND_DISPLAY
    const child = spawn(process.execPath, [CHV, 'serve', demoFile(), demoFile(), '--open'], { env })
    let out = ''
    let err = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    try {
      await expect.poll(() => err, { timeout: 20_000 }).toContain('Could not open a browser')
      const addresses = out.match(/http:\/\/\S+/g) ?? []
      expect(addresses).toHaveLength(2)
      expect(addresses[0]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=/)
      expect(addresses[1]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?file=f2#token=/)
      expect(err.trim().split('\n')).toEqual([
        'Could not open a browser (no display here); open the address above yourself.',
      ])
    } finally {
      child.kill('SIGTERM')
    }
  })
})
