// npm run native:electron: better-sqlite3 for Electron's ABI, into node_modules/.chv-electron/ (see
// src/main/electron-binding.ts). npm's Node build in node_modules/better-sqlite3/build stays untouched.
// First a prebuilt binary (prebuild-install, from GitHub), else a compile against Electron's headers
// (node-gyp); each needs the network once (node-gyp caches the headers). --force rebuilds, --verbose
// shows their output.
import { spawnSync } from 'node:child_process'
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
} from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, relative, sep } from 'node:path'
import { electronBindingPath, type BindingTarget } from '../src/main/electron-binding'

const require = createRequire(import.meta.url)
const moduleDir = dirname(require.resolve('better-sqlite3/package.json'))
const target: BindingTarget = {
  electron: (require('electron/package.json') as { version: string }).version,
  betterSqlite3: (require('better-sqlite3/package.json') as { version: string }).version,
  platform: process.platform,
  arch: process.arch,
}
// Electron's NODE_MODULE_VERSION: a build carries it in its registration symbol.
const abi = readFileSync(require.resolve('electron/abi_version'), 'utf8').trim()
const dest = electronBindingPath(target, { nodeModules: join(moduleDir, '..') })
const verbose = process.argv.includes('--verbose')

function build(): boolean {
  // A copy without npm's build: the compile writes build/ in place, which would replace the Node build.
  const work = join(mkdtempSync(join(tmpdir(), 'chv-electron-build-')), 'better-sqlite3')
  try {
    cpSync(moduleDir, work, {
      recursive: true,
      filter: (src) => !relative(moduleDir, src).split(sep).includes('build'),
    })
    // npm's `nodedir` (some machines set it to /usr) would make node-gyp compile against Node's own
    // headers: a build for the wrong ABI that only fails inside Electron.
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([key]) => key.toLowerCase() !== 'npm_config_nodedir'),
    )
    // Their output only with --verbose: offline, it is dozens of lines saying what one line says.
    const node = (script: string, args: string[], timeoutMs: number) =>
      spawnSync(process.execPath, [require.resolve(script), ...args, '--nodedir='], {
        cwd: work,
        env,
        stdio: verbose ? 'inherit' : 'ignore',
        timeout: timeoutMs,
      }).status === 0
    const electron = [`--runtime=electron`, `--target=${target.electron}`, `--arch=${target.arch}`]
    const prebuilt = node('prebuild-install/bin.js', [...electron, `--platform=${target.platform}`], 120_000)
    if (!prebuilt) console.log("No prebuilt binary to download; compiling against Electron's headers…")
    const built =
      prebuilt ||
      node(
        'node-gyp/bin/node-gyp.js',
        ['rebuild', '--release', ...electron, '--dist-url=https://electronjs.org/headers'],
        900_000,
      )
    const binary = join(work, 'build', 'Release', 'better_sqlite3.node')
    if (!built || !existsSync(binary)) return false
    if (!readFileSync(binary).includes(`node_register_module_v${abi}`)) {
      console.error(`The build is not for Electron's ABI ${abi}; it is not used.`)
      return false
    }
    // Only this build stays: older ones are for versions no longer installed.
    rmSync(dirname(dest), { recursive: true, force: true })
    mkdirSync(dirname(dest), { recursive: true })
    copyFileSync(binary, `${dest}.partial`)
    renameSync(`${dest}.partial`, dest)
    return true
  } finally {
    rmSync(dirname(work), { recursive: true, force: true })
  }
}

if (existsSync(dest) && !process.argv.includes('--force')) {
  console.log(`better-sqlite3 for Electron ${target.electron} is built (${dest}).`)
} else {
  console.log(`Building better-sqlite3 ${target.betterSqlite3} for Electron ${target.electron}…`)
  if (build()) console.log(`Built ${dest}.`)
  else {
    console.error(
      `Could not build better-sqlite3 for Electron ${target.electron}: no prebuilt binary or Electron headers could be downloaded (offline?); chv, the tests and the app in a browser do not need it${verbose ? '' : ' (--verbose shows why)'}.`,
    )
    process.exitCode = 1
  }
}
