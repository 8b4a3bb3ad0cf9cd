#!/usr/bin/env node
// npm start [-- FILE.db…]: the app, on the given files or on a demo database in the app's data folder.
// Where the Electron binary cannot be had (offline), the same app is served to a browser instead.
import { spawnSync } from 'node:child_process'

const paths = process.argv.slice(2)
const run = (command, args) =>
  spawnSync(command, args, { stdio: 'inherit', shell: process.platform === 'win32' })
const must = (result) => {
  if (result.status !== 0) process.exit(result.status ?? 1)
}

// Electron downloads its binary on first use; a failure here means there is none to be had.
const probe = spawnSync(process.execPath, ['-e', "process.stdout.write(require('electron'))"], {
  encoding: 'utf8',
})
if (probe.status === 0) {
  must(run(process.execPath, ['scripts/native-abi.mjs', 'electron']))
  must(run('npx', ['electron-vite', 'build']))
  must(run(probe.stdout, ['.', ...paths]))
} else {
  console.log(
    'Electron is not available here (its binary could not be downloaded); serving the app to a browser instead.',
  )
  must(run(process.execPath, ['scripts/native-abi.mjs', 'node']))
  must(run('npm', ['run', 'build', '--silent']))
  must(run(process.execPath, ['out/cli/chv.js', 'serve', ...(paths.length ? [paths[0]] : ['--demo'])]))
}
