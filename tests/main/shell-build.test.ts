// What the first ten minutes rely on: builds that do not undo each other, and a `chv` npx can run.
import { accessSync, constants, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { NATIVE_BINDING_ENV, nativeBinding } from '../../src/main/db/native-binding'
import { electronBindingName, electronBindingPath } from '../../src/main/electron-binding'

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  scripts: Record<string, string>
  engines: { node: string }
}

describe('better-sqlite3 for Node and for Electron, side by side', () => {
  const target = { electron: '45.5.0', betterSqlite3: '12.11.1', platform: 'linux', arch: 'x64' }

  it('names the Electron build by every version it depends on, beside npm`s build or in the resources', () => {
    expect(electronBindingName(target)).toBe('better_sqlite3-12.11.1-electron-45.5.0-linux-x64.node')
    expect(electronBindingPath(target, { nodeModules: '/app/node_modules' })).toBe(
      '/app/node_modules/.chv-electron/better_sqlite3-12.11.1-electron-45.5.0-linux-x64.node',
    )
    expect(electronBindingPath(target, { resources: '/opt/app/resources' })).toBe(
      '/opt/app/resources/native/better_sqlite3-12.11.1-electron-45.5.0-linux-x64.node',
    )
  })

  it('loads npm`s build unless the Electron main process names another', () => {
    expect(nativeBinding({})).toBeUndefined()
    expect(nativeBinding({ [NATIVE_BINDING_ENV]: '' })).toBeUndefined()
    expect(nativeBinding({ [NATIVE_BINDING_ENV]: '/x/b.node' })).toBe('/x/b.node')
  })

  it('is never rebuilt by npm test (or the bench), and the Electron build only on request', () => {
    for (const name of ['pretest', 'test', 'bench', 'build', 'prepare'])
      expect(pkg.scripts[name] ?? '', name).not.toMatch(/rebuild|native|install-app-deps/)
    expect(pkg.scripts['native:electron']).toBe('tsx scripts/native-electron.ts')
  })
})

describe('after npm ci', () => {
  it('builds the app`s pages as well as chv, so chv serve works at once', () => {
    expect(pkg.scripts.prepare).toBe('npm run build')
    expect(pkg.scripts.build).toContain('electron-vite build')
  })

  it('keeps chv.js runnable after a rebuild (npx links to it)', () => {
    // npm test builds first (pretest), so this is the file a rebuild just wrote.
    accessSync(new URL('../../out/cli/chv.js', import.meta.url), constants.X_OK)
  })

  it('says which Node the command line needs', () => {
    expect(pkg.engines.node).toBe('>=20.19')
  })
})
