#!/usr/bin/env node
// better-sqlite3 is a native module built for one ABI at a time: Node's (tests, CLI) or Electron's (the
// app). `node scripts/native-abi.mjs node` makes sure the Node build is in place, rebuilding if needed,
// so switching between `npm start` and `npm test` needs no manual step.
import { spawnSync } from 'node:child_process'

const target = process.argv[2]
if (target !== 'node') {
  console.error('usage: native-abi.mjs node')
  process.exit(2)
}

const loads = () =>
  spawnSync(process.execPath, ['-e', "new (require('better-sqlite3'))(':memory:').close()"], {
    encoding: 'utf8',
  })

const probe = loads()
if (probe.status === 0) process.exit(0)
if (!/NODE_MODULE_VERSION|was compiled against a different Node\.js version/.test(probe.stderr)) {
  console.error(probe.stderr)
  process.exit(1)
}
console.log('better-sqlite3 is built for another ABI (Electron); rebuilding it for Node…')
const rebuild = spawnSync('npm', ['rebuild', 'better-sqlite3'], { stdio: 'inherit' })
if (rebuild.status !== 0 || loads().status !== 0) {
  console.error('Rebuilding better-sqlite3 for Node failed; see the output above.')
  process.exit(1)
}
