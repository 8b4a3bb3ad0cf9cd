import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import type { ChatEvent, LlmMessage } from '../../src/shared/chat-event'
import { ChatRepository } from '../../src/main/db/repository'
import { sha256, tempDir } from '../helpers/files'
import { seed } from '../helpers/python'

// CHV_CLI: a build elsewhere, for runs while others rebuild out/ in the same tree.
const CHV = process.env.CHV_CLI ?? fileURLToPath(new URL('../../out/cli/chv.js', import.meta.url))

function chv(...args: string[]) {
  // Its own data folder: stats builds an index there.
  const env = { ...process.env, CHV_DATA_DIR: tempDir() }
  const result = spawnSync(process.execPath, [CHV, ...args], { encoding: 'utf8', env })
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}

function demo(): string {
  const path = join(tempDir(), 'demo.db')
  expect(chv('demo', path)).toMatchObject({ code: 0, stderr: '' })
  return path
}

beforeAll(() => {
  if (!existsSync(CHV)) throw new Error(`${CHV} is missing: run "npm run build:cli" (npm test does it first)`)
})

describe('chv on a demo history', () => {
  it('ls lists conversations, last activity first, with counts and first messages', () => {
    const path = demo()
    const text = chv('ls', path)
    expect(text.code).toBe(0)
    const lines = text.stdout.trim().split('\n')
    expect(lines[0]).toMatch(/^LAST ACTIVITY\s+EVENTS\s+CONVERSATION\s+FIRST USER MESSAGE$/)
    expect(lines).toHaveLength(8)
    expect(text.stdout).toMatch(/demo-multimodal\s+What breed is this cat\? \[image_url\]/)

    const json = JSON.parse(chv('ls', path, '--json').stdout) as {
      conversation_id: string
      event_count: number
    }[]
    const repo = ChatRepository.open(path)
    expect(json.map((c) => c.conversation_id)).toEqual(repo.listConversations())
    expect(json.find((c) => c.conversation_id === 'demo-weather-paris')).toMatchObject({
      event_count: 5,
      preview: 'What is the weather in Paris right now, and should I take an umbrella?',
      last_activity: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
    })
  })

  it('show and history print the seed`s events; --json equals what the seed returns', () => {
    const path = demo()
    const dump = seed<{ events: Record<string, ChatEvent[]>; history: Record<string, ChatEvent[]> }>(
      path,
      'dump',
    )
    const shown = JSON.parse(chv('show', path, 'demo-weather-paris', '--json').stdout) as ChatEvent[]
    expect(shown).toEqual(dump.events['demo-weather-paris'])
    const history = JSON.parse(chv('history', path, 'demo-unicode-system', '--json').stdout) as ChatEvent[]
    expect(history).toEqual(dump.history['demo-unicode-system'])
    const text = chv('show', path, 'demo-weather-paris').stdout
    expect(text).toContain('→ get_weather({"city": "Paris", "units": "metric"}) [call_wx_1]')
    expect(text).toMatch(/#5 {2}\S+ {2}assistant_message {2}\(assistant, openai, gpt-4o, stop=stop\)/)
  })

  it('llm prints what build_llm_conversation sends', () => {
    const path = demo()
    const ours = JSON.parse(
      chv('llm', path, 'demo-multimodal', '--system', 'Be brief.', '--user', 'And this one?', '--json')
        .stdout,
    )
    const theirs = seed<LlmMessage[]>(
      path,
      'call',
      ['demo-multimodal', 'And this one?', 'Be brief.'],
      'build_llm_conversation',
    )
    expect(ours).toEqual(theirs)
    expect(chv('llm', path, 'demo-multimodal', '--system', 'S', '--user', 'U').stdout).toMatch(
      /^\[system\]\n {4}S\n/,
    )
  })
})

describe('chv errors: one line on stderr, exit 1, no stack trace', () => {
  const expectUserError = (result: ReturnType<typeof chv>, message: RegExp) => {
    expect(result.code).toBe(1)
    expect(result.stdout).toBe('')
    expect(result.stderr).toMatch(message)
    expect(result.stderr.trim().split('\n')).toHaveLength(1)
    expect(result.stderr).not.toMatch(/\n\s+at /)
  }

  it('for bad paths and files that are not chat histories', () => {
    const dir = tempDir()
    expectUserError(chv('ls', join(dir, 'missing.db')), /^chv: .*missing\.db does not exist\.$/m)
    const notDb = join(dir, 'notes.txt')
    writeFileSync(notDb, 'hello '.repeat(200))
    expectUserError(chv('ls', notDb), /is not an SQLite database/)
    expectUserError(chv('show', notDb, 'x'), /is not an SQLite database/)
  })

  it('for unknown conversations, commands and options, and missing arguments', () => {
    const path = demo()
    expectUserError(chv('show', path, 'nope'), /no conversation "nope"/)
    expectUserError(chv('llm', path, 'demo-multimodal'), /--system TEXT and --user TEXT/)
    expectUserError(chv('ls'), /missing the DB argument/)
    expectUserError(chv('frobnicate', path), /unknown command "frobnicate"/)
    expectUserError(chv('ls', path, '--colour'), /Unknown option '--colour'/)
    expectUserError(chv('ls', path, '--limit', 'ten'), /--limit takes a whole number/)
  })

  it('demo refuses to touch an existing file', () => {
    const path = demo()
    const before = sha256(path)
    expectUserError(chv('demo', path), /exists already/)
    expect(sha256(path)).toBe(before)
  })

  it('--help prints usage and exits 0', () => {
    expect(chv('--help')).toMatchObject({ code: 0, stdout: expect.stringContaining('Usage: chv <command>') })
  })
})

describe('chv export, stats, lint', () => {
  it('export writes a file; lint exits 1 on problems; stats --json adds up', () => {
    const path = demo()
    const out = join(tempDir(), 'out.json')
    expect(chv('export', path, '--format', 'json', '-o', out)).toMatchObject({ code: 0, stdout: '' })
    expect(JSON.parse(readFileSync(out, 'utf8'))).toHaveLength(33)
    expect(chv('export', path, 'nope', '--format', 'md')).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/no conversation "nope"/),
    })
    expect(chv('export', path, '--format', 'pdf')).toMatchObject({
      code: 1,
      stderr: 'chv: export needs --format md, json or jsonl\n',
    })
    const lint = chv('lint', path)
    expect(lint.code).toBe(1)
    expect(lint.stdout).toMatch(/^problem {2}demo-stream-pending {2}#6 {2}pending_deltas/)
    expect(chv('lint', path, 'demo-weather-paris')).toMatchObject({ code: 0, stdout: 'No findings.\n' })
    expect(JSON.parse(chv('stats', path, '--json').stdout)).toMatchObject({
      events: 33,
      compaction: { replies: 1 },
    })
  })
})
