#!/usr/bin/env node
// better-sqlite3 is a native module built for one ABI at a time: Node's (tests, chv) or Electron's (the
// app). `native-abi.mjs node` and `native-abi.mjs electron` put the right build in place, rebuilding only
// when needed, so switching between `npm start` and `npm test` takes no manual step.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const MARKER = 'node_modules/.chv-better-sqlite3-abi'
const run = (command, args) =>
  spawnSync(command, args, { stdio: 'inherit', shell: process.platform === 'win32' })

function forNode() {
  const loads = () =>
    spawnSync(process.execPath, ['-e', "new (require('better-sqlite3'))(':memory:').close()"], {
      encoding: 'utf8',
    })
  const probe = loads()
  if (probe.status === 0) return 0
  if (!/NODE_MODULE_VERSION|compiled against a different Node\.js version/.test(probe.stderr)) {
    console.error(probe.stderr)
    return 1
  }
  console.log('better-sqlite3 is built for Electron; rebuilding it for Node…')
  if (run('npm', ['rebuild', 'better-sqlite3']).status !== 0 || loads().status !== 0) {
    console.error('Rebuilding better-sqlite3 for Node failed; see the output above.')
    return 1
  }
  rmSync(MARKER, { force: true })
  return 0
}

function forElectron() {
  const version = require('electron/package.json').version
  const wanted = `electron-${version}`
  if (existsSync(MARKER) && readFileSync(MARKER, 'utf8') === wanted) return 0
  console.log(`Building better-sqlite3 for Electron ${version}…`)
  if (run('npx', ['electron-builder', 'install-app-deps']).status !== 0) {
    console.error('Building better-sqlite3 for Electron failed; see the output above.')
    return 1
  }
  writeFileSync(MARKER, wanted)
  return 0
}

const target = process.argv[2]
if (target === 'node') process.exit(forNode())
if (target === 'electron') process.exit(forElectron())
console.error('usage: native-abi.mjs node|electron')
process.exit(2)
