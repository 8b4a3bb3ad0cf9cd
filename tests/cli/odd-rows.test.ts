// One odd row never breaks a command: every read command on every kind of odd row, as real processes.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { allOddRowsFile, ODD_ROWS } from '../helpers/odd-rows'
import { tempDir } from '../helpers/files'

// CHV_CLI: a build elsewhere, for runs while others rebuild out/ in the same tree.
const CHV = process.env.CHV_CLI ?? fileURLToPath(new URL('../../out/cli/chv.js', import.meta.url))

/** Control characters a terminal acts on; \n and \t are the only ones text output may carry. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/

/** Commands that read the whole file, run once per file of odd rows. */
const FILE_COMMANDS: string[][] = [
  ['ls'],
  ['ls', '--limit', '5', '--json'],
  ['ls', '--filter', 'odd', '--json'],
  ['export', '--format', 'json'],
  ['stats'],
  ['lint'],
  ['search', 'odd'],
  ['search', 'row', '--order', 'relevance', '--json'],
  ['scan'],
]

/** Commands on one conversation, run for each odd row's (`ID` is its id). */
const CONVERSATION_COMMANDS: string[][] = [
  ['show', 'ID'],
  ['show', 'ID', '--json'],
  ['history', 'ID'],
  ['llm', 'ID', '--system', 'S', '--user', 'U'],
  ['export', 'ID', '--format', 'md'],
  ['export', 'ID', '--format', 'jsonl'],
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

/** Runs `commands` on `path`; the ones that broke a rule, one line each. */
async function broken(path: string, commands: string[][]): Promise<{ results: Ran[]; broken: string[] }> {
  const env = { ...process.env, CHV_DATA_DIR: tempDir() }
  const results = await Promise.all(commands.map(([command, ...rest]) => chv(env, [command!, path, ...rest])))
  const bad = results
    .map((r, i) => ({ command: commands[i]!.join(' '), ...r }))
    .filter(
      (r) =>
        (r.code !== 0 && r.code !== 1) ||
        r.stderr.split('\n').filter(Boolean).length > 1 ||
        / {4}at /.test(r.stderr) ||
        CONTROL.test(r.stdout) ||
        CONTROL.test(r.stderr.replace(/\n$/, '')),
    )
    .map((r) => `${r.command}: exit ${r.code}, ${JSON.stringify(r.stderr.slice(0, 200))}`)
  return { results, broken: bad }
}

// Every odd row of a kind of table in one file (conversation odd-N for the N-th kind), to keep the
// number of processes down on a small machine; each row's conversation is still run on its own.
describe.each([false, true])('every read command on every kind of odd row (untyped table: %s)', (untyped) => {
  const kinds = ODD_ROWS.filter((o) => Boolean(o.untyped) === untyped)

  it('whole-file commands answer, and lint names every odd row', async () => {
    const { results, broken: bad } = await broken(allOddRowsFile(untyped), FILE_COMMANDS)
    expect(bad).toEqual([])
    const lint = results[FILE_COMMANDS.findIndex((c) => c[0] === 'lint')]!
    expect(lint.code).toBe(1)
    kinds.forEach((odd, i) => {
      if (!odd.lint) return
      // The finding is on the odd row's conversation, unless the odd value is that id itself.
      const own =
        'conversation_id' in odd.row
          ? lint.stdout
          : lint.stdout
              .split('\n')
              .filter((l) => l.includes(` odd-${i} `))
              .join('\n')
      expect(own, odd.kind).toMatch(odd.lint)
    })
  })

  it.each(kinds.map((o, i) => [o.kind, o, i] as const))('%s', async (_kind, odd, i) => {
    const stored = odd.row.conversation_id
    const id =
      stored === undefined ? `odd-${i}` : Buffer.isBuffer(stored) ? stored.toString('utf8') : String(stored)
    const commands = CONVERSATION_COMMANDS.map((c) => c.map((a) => (a === 'ID' ? id : a)))
    const { results, broken: bad } = await broken(allOddRowsFile(untyped), commands)
    expect(bad).toEqual([])
    // The odd row's conversation is shown, found by the id it is listed under.
    const shown = results[0]!
    expect(shown.code, shown.stderr).toBe(0)
    expect(shown.stdout).toContain(stored === undefined ? `before odd row ${i}` : 'the odd row')
  })
})
