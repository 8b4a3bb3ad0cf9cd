#!/usr/bin/env node
// npm start [-- FILE.db…]: the app, on the given files or on a demo database in the app's data folder.
// Where Electron cannot run (its binary cannot be downloaded, or better-sqlite3 cannot be built for it),
// the same app is served to a browser instead, on every file given.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'

const require = createRequire(import.meta.url)
// npm runs scripts in the package's folder: paths are the user's, relative to where npm was started.
const paths = process.argv
  .slice(2)
  .map((arg) => (arg.startsWith('-') ? arg : resolve(process.env.INIT_CWD ?? process.cwd(), arg)))
// A shell on Windows only for npm and npx (.cmd files); never for a binary's path, which may hold spaces.
const run = (command, args) =>
  spawnSync(command, args, {
    stdio: 'inherit',
    shell: process.platform === 'win32' && (command === 'npm' || command === 'npx'),
  })
const must = (result) => {
  if (result.status !== 0) process.exit(result.status ?? 1)
}

/** The binary if it is already there, without require('electron') (which would download it). */
function installedElectron() {
  try {
    const dir = dirname(require.resolve('electron/package.json'))
    const binary = join(dir, 'dist', readFileSync(join(dir, 'path.txt'), 'utf8'))
    return existsSync(binary) ? binary : undefined
  } catch {
    return undefined
  }
}

/** Whether the download host answers within a few seconds: offline, we fall back at once. */
async function canDownload() {
  const host = process.env.ELECTRON_MIRROR ?? 'https://github.com/electron/electron/releases/'
  try {
    await fetch(host, { method: 'HEAD', signal: AbortSignal.timeout(4000) })
    return true
  } catch {
    return false
  }
}

/**
 * The Electron binary's path, downloading it first if needed. Since Electron 42 `npm ci` does not
 * download it; require('electron') does, in this process, so its progress bar shows in this terminal
 * (spawning `node -e` and reading its stdout would take the download's log for the path).
 */
async function electronBinary() {
  const installed = installedElectron()
  if (installed) return installed
  if (!(await canDownload())) return undefined
  try {
    return require('electron')
  } catch {
    return undefined
  }
}

function inBrowser(reason) {
  console.log(`${reason}; serving the app to a browser instead.`)
  must(run('npm', ['run', 'build', '--silent']))
  const files = paths.length ? paths : ['--demo']
  must(run(process.execPath, ['out/cli/chv.js', 'serve', ...files, '--open']))
}

const binary = await electronBinary()
if (!binary) inBrowser('Electron is not available here (its binary could not be downloaded)')
else if (run('npm', ['run', 'native:electron', '--silent']).status !== 0)
  inBrowser('better-sqlite3 could not be built for Electron')
else {
  must(run('npx', ['electron-vite', 'build']))
  must(run(binary, ['.', ...paths]))
}
