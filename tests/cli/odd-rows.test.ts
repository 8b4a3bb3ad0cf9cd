// One odd row never breaks a command: every read command on every kind of odd row, as real processes.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { ODD_ROWS, oddRowFile } from '../helpers/odd-rows'
import { tempDir } from '../helpers/files'

// CHV_CLI: a build elsewhere, for runs while others rebuild out/ in the same tree.
const CHV = process.env.CHV_CLI ?? fileURLToPath(new URL('../../out/cli/chv.js', import.meta.url))

/** Control characters a terminal acts on; \n and \t are the only ones text output may carry. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/

const READ_COMMANDS: string[][] = [
  ['ls'],
  ['ls', '--limit', '5', '--json'],
  ['show', 'odd'],
  ['show', 'odd', '--json'],
  ['history', 'odd'],
  ['llm', 'odd', '--system', 'S', '--user', 'U'],
  ['export', 'odd', '--format', 'md'],
  ['export', '--format', 'json'],
  ['export', 'odd', '--format', 'jsonl'],
  ['stats'],
  ['lint'],
  ['ls', '--filter', 'odd', '--json'],
  ['search', 'odd'],
  ['search', 'row', '--order', 'relevance', '--json'],
  ['scan'],
]

interface Ran {
  code: number | null
  stdout: string
  stderr: string
}

function chv(env: NodeJS.ProcessEnv, args: string[]): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CHV, ...args], { env })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')))
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

beforeAll(() => {
  if (!existsSync(CHV)) throw new Error(`${CHV} is missing: run "npm run build:cli" (npm test does it first)`)
})

describe('every read command on every kind of odd row', () => {
  it.each(ODD_ROWS.map((o) => [o.kind, o] as const))('%s', async (_kind, odd) => {
    const path = oddRowFile(odd)
    const env = { ...process.env, CHV_DATA_DIR: tempDir() }
    const results = await Promise.all(
      READ_COMMANDS.map(([command, ...rest]) => chv(env, [command!, path, ...rest])),
    )
    const broken = results
      .map((r, i) => ({ command: READ_COMMANDS[i]!.join(' '), ...r }))
      .filter(
        (r) =>
          (r.code !== 0 && r.code !== 1) ||
          r.stderr.split('\n').filter(Boolean).length > 1 ||
          / {4}at /.test(r.stderr) ||
          CONTROL.test(r.stdout) ||
          CONTROL.test(r.stderr.replace(/\n$/, '')),
      )
      .map((r) => `${r.command}: exit ${r.code}, ${JSON.stringify(r.stderr.slice(0, 200))}`)
    expect(broken).toEqual([])
    // lint names the odd row (and exits 1 for it), so it can be found and fixed.
    const lint = results[READ_COMMANDS.findIndex((c) => c[0] === 'lint')]!
    if (odd.lint)
      expect({ code: lint.code, stdout: lint.stdout }).toMatchObject({
        code: 1,
        stdout: expect.stringMatching(odd.lint),
      })
    // The odd conversation itself is shown (the plain row before the odd one, at least).
    const shown = results[READ_COMMANDS.findIndex((c) => c.join(' ') === 'show odd')]!
    expect(shown.code, shown.stderr).toBe(0)
    expect(shown.stdout).toContain('before the odd row')
  })
})
