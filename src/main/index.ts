// The Electron app's entry: the real Electron, the real database worker and better-sqlite3's Electron
// build, handed to main() (main.ts), which tests drive with fakes.
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import * as electron from 'electron'
import { HandlerHost } from './api/handler-host'
import { electronBindingPath } from './electron-binding'
import { main } from './main'

const { app } = electron
// Not named `require`: the bundle's CommonJS shim declares that name at the top of the same module.
const requireHere = createRequire(import.meta.url)

/** better-sqlite3 built for this Electron (npm run native:electron), never npm's Node build. */
function sqliteBinding(): string {
  const target = {
    electron: process.versions.electron!,
    betterSqlite3: (requireHere('better-sqlite3/package.json') as { version: string }).version,
    platform: process.platform,
    arch: process.arch,
  }
  const binding = app.isPackaged
    ? electronBindingPath(target, { resources: process.resourcesPath })
    : electronBindingPath(target, { nodeModules: `${app.getAppPath()}/node_modules` })
  if (!existsSync(binding)) {
    throw new Error(
      `better-sqlite3 is not built for Electron ${target.electron} (${binding}). Run "npm run native:electron" (it needs the network once), or "npx chv serve FILE" to use the app in a browser.`,
    )
  }
  return binding
}

main(electron, {
  outDir: import.meta.dirname,
  // The executable, then (in development only) the app's folder, then the files.
  argv: process.argv.slice(app.isPackaged ? 0 : 1),
  cwd: process.cwd(),
  sqliteBinding,
  // Files open read-only; the worker may write once main has asked the user (write-gate.ts).
  createHost: (workerPath, dataDir) =>
    new HandlerHost(workerPath, {
      mode: 'read',
      allowWrite: true,
      dataDir,
      searchDir: join(dataDir, 'search'),
    }),
})
