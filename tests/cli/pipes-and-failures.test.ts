// A closed pipe ends chv quietly; every failure is one line on stderr and exit 1, never a stack trace.
import { spawnSync } from 'node:child_process'
import { existsSync, openSync, closeSync, writeSync, statSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import { beforeAll, describe, expect, it } from 'vitest'
import { ChatRepository } from '../../src/main/db/repository'
import { tempDir } from '../helpers/files'
import { ODD_ROWS, oddRowFile, TERMINAL_ATTACK } from '../helpers/odd-rows'
import { seedTableSql } from '../helpers/seed-table'

// CHV_CLI: a build elsewhere, for runs while others rebuild out/ in the same tree.
const CHV = process.env.CHV_CLI ?? fileURLToPath(new URL('../../out/cli/chv.js', import.meta.url))

function chv(...args: string[]) {
  const env = { ...process.env, CHV_DATA_DIR: tempDir() }
  const result = spawnSync(process.execPath, [CHV, ...args], { encoding: 'utf8', env })
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}

const expectOneLine = (result: ReturnType<typeof chv>, message: RegExp) => {
  expect(result.stderr).toMatch(message)
  expect(result).toMatchObject({ code: 1, stdout: '' })
  expect(result.stderr.split('\n').filter(Boolean)).toHaveLength(1)
  expect(result.stderr).not.toMatch(/ {4}at /)
}

/** Many conversations: `ls` prints far more than a pipe holds (64 KiB). */
function bigFile(): string {
  const path = join(tempDir(), 'big.db')
  const repo = ChatRepository.open(path, { mode: 'create' })
  repo.addEvents(
    Array.from({ length: 4000 }, (_, i) => ({
      conversation_id: `conversation-${i}`,
      type: 'user_message',
      content: `message number ${i} ${'x'.repeat(60)}`,
    })),
  )
  repo.close()
  return path
}

beforeAll(() => {
  if (!existsSync(CHV)) throw new Error(`${CHV} is missing: run "npm run build:cli" (npm test does it first)`)
})

describe('a reader that goes away', () => {
  it('chv … | head -1 prints one line and ends quietly, for text, --json and export', () => {
    const path = bigFile()
    for (const args of [
      ['ls'],
      ['ls', '--json'],
      ['export', '--format', 'json'],
      ['export', '--format', 'md'],
    ]) {
      const err = join(tempDir(), 'stderr.txt')
      const script = `"${process.execPath}" "${CHV}" ${args[0]} "${path}" ${args.slice(1).join(' ')} 2>"${err}" | head -1; echo "status \${PIPESTATUS[0]}"`
      const run = spawnSync('bash', ['-c', script], {
        encoding: 'utf8',
        env: { ...process.env, CHV_DATA_DIR: tempDir() },
      })
      const [first, status] = run.stdout.trim().split('\n')
      expect(first, args.join(' ')).toMatch(/\S/)
      expect(status, args.join(' ')).toBe('status 0')
      expect(readFileSync(err, 'utf8'), args.join(' ')).toBe('')
    }
  })
})

describe('terminal escapes', () => {
  it('are escaped on stdout, and kept exactly in a file written with -o', () => {
    const path = oddRowFile(ODD_ROWS.find((o) => o.kind === 'terminal escapes in content')!)
    const shown = chv('export', path, 'odd', '--format', 'md')
    expect(shown.stdout).toContain('look \\x1b]52;c;cHduZWQ=\\x07')
    const out = join(tempDir(), 'odd.md')
    expect(chv('export', path, 'odd', '--format', 'md', '-o', out)).toMatchObject({ code: 0, stdout: '' })
    expect(readFileSync(out, 'utf8')).toContain(`look ${TERMINAL_ATTACK} here`)
  })
})

describe('on a terminal', () => {
  it('the progress line of export -o escapes the file name it names', (context) => {
    if (spawnSync('script', ['--version']).status !== 0) context.skip('no script(1) here to make a terminal')
    const path = bigFile()
    const out = join(tempDir(), `x${'\u001b'}]0;title${'\u0007'}.md`)
    const command = [process.execPath, CHV, 'export', path, '--format', 'md', '-o', out]
      .map((a) => `'${a.replaceAll("'", "'\\''")}'`)
      .join(' ')
    const run = spawnSync('script', ['-qec', command, '/dev/null'], {
      encoding: 'utf8',
      env: { ...process.env, CHV_DATA_DIR: tempDir() },
    })
    expect(run.status, run.stdout).toBe(0)
    expect(run.stdout).toMatch(/events exported to .*x\\x1b\]0;title\\x07\.md/)
    expect(run.stdout).not.toContain('\u001b]0;')
    expect(existsSync(out)).toBe(true)
  })
})

describe('failures are one line', () => {
  it('export -o into a missing folder or onto a folder, demo into a missing folder', () => {
    const path = bigFile()
    const dir = tempDir()
    expectOneLine(
      chv('export', path, '--format', 'md', '-o', join(dir, 'missing', 'x.md')),
      /^chv: cannot write .*x\.md: the folder does not exist$/m,
    )
    expectOneLine(chv('export', path, '--format', 'md', '-o', dir), /^chv: cannot write .*: it is a folder$/m)
    expectOneLine(chv('export', path, '--format', 'md', '-o', ''), /^chv: -o needs a file name$/m)
    expectOneLine(
      chv('demo', join(dir, 'missing', 'x.db')),
      /^chv: .*x\.db cannot be opened: its folder .*missing does not exist\.$/m,
    )
  })

  it('export -o onto a full disk (/dev/full)', (context) => {
    if (!existsSync('/dev/full')) context.skip('no /dev/full here')
    const path = bigFile()
    expectOneLine(
      chv('export', path, '--format', 'json', '-o', '/dev/full'),
      /^chv: cannot write \/dev\/full: the disk is full$/m,
    )
  })

  it('lint, stats, export, ls and show on a damaged file say "damaged"', () => {
    const path = bigFile()
    const db = new Database(path)
    db.pragma('wal_checkpoint(TRUNCATE)')
    db.pragma('journal_mode = DELETE')
    db.close()
    // Garbage over pages in the middle of the file: the header and schema still read.
    const pageSize = 4096
    const pages = statSync(path).size / pageSize
    const fd = openSync(path, 'r+')
    for (let page = Math.floor(pages / 3); page < Math.floor(pages / 3) + 4; page++)
      writeSync(fd, Buffer.alloc(pageSize, 0xff), 0, pageSize, page * pageSize)
    closeSync(fd)
    for (const args of [
      ['lint'],
      ['stats'],
      ['export', '--format', 'json'],
      ['ls'],
      ['show', 'conversation-1'],
    ]) {
      const result = chv(args[0]!, path, ...args.slice(1))
      // Reading every row meets the damage; a page of the list or one conversation may not.
      if (result.code === 0 && (args[0] === 'ls' || args[0] === 'show')) continue
      expect(result.code, args.join(' ')).toBe(1)
      expect(result.stderr, args.join(' ')).toMatch(/^chv: .*big\.db is damaged/)
      expect(result.stderr.split('\n').filter(Boolean), args.join(' ')).toHaveLength(1)
    }
  })

  it('a chat_events that is a VIEW', () => {
    const path = join(tempDir(), 'view.db')
    const db = new Database(path)
    db.exec(seedTableSql().replace('CREATE TABLE chat_events', 'CREATE TABLE events_table'))
    db.exec('CREATE VIEW chat_events AS SELECT * FROM events_table')
    db.close()
    for (const command of ['ls', 'lint', 'stats'])
      expectOneLine(chv(command, path), /has chat_events as a view, not the chat app's table\.$/m)
  })

  it('option values that start with a dash, and `--` before an id that looks like an option', () => {
    const path = bigFile()
    expectOneLine(chv('ls', path, '--limit', '-5'), /^chv: --limit needs a value; .* --limit=-N$/m)
    expectOneLine(chv('ls', path, '--limit=-5'), /^chv: --limit takes a whole number above 0, not "-5"$/m)
    expectOneLine(chv('show', path, '--', '--json'), /^chv: no conversation "--json"/m)
    expectOneLine(chv('lint', path, 'no-such-conversation'), /^chv: no conversation "no-such-conversation"/m)
  })
})
