// Leaked secrets: found anywhere (every rule, every place, split across chunks), decoys left alone,
// redacted so that JSON stays valid and the Python app still reads every event, undone exactly, and
// with --shred gone from every byte of the file, its side files and the app's data folder.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { ChatRepository } from '../../../src/main/db/repository'
import { storedForms } from '../../../src/main/privacy/rules'
import { findSecrets } from '../../../src/main/privacy/scan'
import { RULES } from '../../../src/main/privacy/rules'
import { fileURLToPath } from 'node:url'
import { CHV, chv } from '../../helpers/chv-cli'
import { tempDir } from '../../helpers/files'
import { seed } from '../../helpers/python'
import { rowsOf } from '../../helpers/rows'
import { run } from '../../helpers/run'
import { DECOYS, PLACES, freshSecrets, leakyHistory } from '../../helpers/secrets'

const APP = fileURLToPath(new URL('../../helpers/live_chat_app.py', import.meta.url))

/** Every file that could hold a copy: the history, its side files, everything in the data folder. */
function everyFile(db: string, dataDir: string): string[] {
  const data = readdirSync(dataDir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
  return [db, `${db}-wal`, `${db}-shm`, ...data].filter((f) => {
    try {
      readFileSync(f)
      return true
    } catch {
      return false
    }
  })
}

/** Where any stored form of any secret still is, byte for byte (the test holds no connection open). */
function copiesLeft(files: string[], secrets: { secret: string }[]): string[] {
  return files.flatMap((file) => {
    const bytes = readFileSync(file)
    return secrets.flatMap(({ secret }) =>
      storedForms(secret).some((form) => bytes.includes(Buffer.from(form)))
        ? [`${file}: ${secret.slice(0, 8)}…`]
        : [],
    )
  })
}

const invalidJson = (db: string) => {
  const d = new Database(db, { readonly: true })
  try {
    return d
      .prepare(
        `SELECT count(*) FROM chat_events WHERE (tool_calls IS NOT NULL AND NOT json_valid(tool_calls))
           OR (extra IS NOT NULL AND NOT json_valid(extra)) OR (raw IS NOT NULL AND NOT json_valid(raw))`,
      )
      .pluck()
      .get() as number
  } finally {
    d.close()
  }
}

describe('the secret rules', () => {
  it('find each rule`s fresh secret and none of the decoys', () => {
    for (const s of freshSecrets()) {
      const hits = findSecrets(`text around ${s.text} and more`, RULES, new Set())
      expect(
        hits.map((h) => [h.rule, h.secret]),
        s.rule,
      ).toEqual([[s.rule, s.secret]])
    }
    for (const decoy of DECOYS) expect(findSecrets(decoy, RULES, new Set()), decoy).toEqual([])
  })

  it('take an allow-list of exact values', () => {
    const [s] = freshSecrets()
    expect(findSecrets(s!.text, RULES, new Set([s!.secret]))).toEqual([])
  })
})

describe('chv scan and redact on a leaky history', () => {
  it('finds every secret in every place, split across chunks too, printed masked; exit 1', () => {
    const { path, secrets } = leakyHistory()
    const data = tempDir()
    const scan = chv(data, 'scan', path, '--json')
    expect(scan.code).toBe(1)
    const found = JSON.parse(scan.stdout) as {
      total: number
      findings: { rule: string; column: string; masked: string }[]
    }
    expect(found.total).toBe(PLACES.length * 12 + 3)
    expect(found.findings.filter((f) => f.column === 'chunks')).toHaveLength(3)
    // Never a whole secret on the screen.
    for (const { secret } of secrets) expect(scan.stdout).not.toContain(secret.slice(4, -2))
    expect(chv(data, 'scan', path).stdout).toMatch(/^\d+ findings in \d+ events:/)
  })

  it('redacts only the matched spans: JSON stays valid, the Python app reads every event, decoys stay; undo is exact', () => {
    const { path } = leakyHistory()
    const data = tempDir()
    const before = rowsOf(path)
    const done = chv(data, 'redact', path, '--yes')
    expect(done).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^Redacted 75 of 75 findings in \d+ events\. Undo: chv restore .* 1\n$/),
    })
    expect(chv(data, 'scan', path).code).toBe(0)
    expect(invalidJson(path)).toBe(0)
    const repo = ChatRepository.open(path)
    expect(repo.getEvents('decoys').map((e) => e.content)).toEqual(DECOYS)
    expect(repo.getEvents('leaky-0')[0]!.content).toMatch(/^before \[REDACTED:[a-z-]+\] after$/)
    expect(
      repo
        .getEvents('streamed')
        .map((e) => e.content)
        .join(''),
    ).toMatch(/^the key is \[REDACTED:anthropic-api-key\], keep it safe/)
    repo.close()
    const dump = seed<{ events: Record<string, unknown[]> }>(path, 'dump')
    expect(Object.values(dump.events).flat()).toHaveLength(before.length)
    expect(chv(data, 'restore', path, '1').code).toBe(0)
    expect(rowsOf(path)).toEqual(before)
  })

  it('with --shred: no copy of any secret left in any byte of the file, its side files or the app`s data folder', () => {
    const { path, secrets } = leakyHistory()
    const data = tempDir()
    // Earlier copies this app made: the search index, a full backup, a journal entry holding the rows.
    expect(chv(data, 'backup', path).code).toBe(0)
    expect(chv(data, 'rm', path, 'leaky-4', '--yes').code).toBe(0)
    expect(chv(data, 'restore', path, '1').code).toBe(0)
    expect(copiesLeft(everyFile(path, data), secrets).length).toBeGreaterThan(0)
    // Without --vacuum: the copies the earlier delete left in free pages are found and named.
    const partial = chv(data, 'redact', path, '--yes', '--shred', '--rule', 'openai-api-key')
    expect(partial.stdout).toMatch(/Removed, but a copy remains:[\s\S]*chat_history\.db \(sk-[\s\S]*--vacuum/)
    const done = chv(data, 'redact', path, '--yes', '--shred', '--delete-backups', '--vacuum')
    expect(done.code).toBe(0)
    expect(done.stdout).toMatch(
      /Removed for good: no copy left in the file, its -wal or the app's data folder\./,
    )
    expect(copiesLeft(everyFile(path, data), secrets)).toEqual([])
    expect(invalidJson(path)).toBe(0)
    // No undo for what was removed for good.
    expect(chv(data, 'snapshots', path).stdout).toMatch(/redact .* removed for good/)
  })

  it('while the chat app writes (the seed`s own code), removing for good never locks it out', async () => {
    const { path, secrets } = leakyHistory()
    const data = tempDir()
    const app = run('python3', [APP, path, '8'])
    await new Promise((resolve) => setTimeout(resolve, 1500))
    const done = await run(process.execPath, [CHV, 'redact', path, '--yes', '--shred', '--vacuum'], {
      ...process.env,
      CHV_DATA_DIR: data,
    })
    const result = await app
    expect(done.code, done.stderr).toBe(0)
    expect(result.code).toBe(0)
    expect((JSON.parse(result.stdout) as { errors: string[] }).errors).toEqual([])
    expect(copiesLeft(everyFile(path, data), secrets)).toEqual([])
  })

  it('rm --shred: the deleted rows are in no byte of the file or the data folder, and cannot be restored', () => {
    const { path, secrets } = leakyHistory()
    const data = tempDir()
    const done = chv(
      data,
      'rm',
      path,
      ...[0, 1, 2, 3, 4].map((i) => `leaky-${i}`),
      'streamed',
      '--yes',
      '--shred',
    )
    expect(done).toMatchObject({ code: 0 })
    expect(done.stdout).toMatch(/for good[\s\S]*Removed for good: no copy left/)
    expect(copiesLeft(everyFile(path, data), secrets)).toEqual([])
    expect(chv(data, 'restore', path, '1')).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/undone already|Restored 0/),
    })
  })
})
