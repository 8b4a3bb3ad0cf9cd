import { existsSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { ChatRepository } from '../../src/main/db/repository'
import { storageStats } from '../../src/main/db/storage'
import { CHV, chv } from '../helpers/chv-cli'
import { demoFile } from '../helpers/demo'
import { sha256, tempDir } from '../helpers/files'

beforeAll(() => {
  if (!existsSync(CHV)) throw new Error(`${CHV} is missing: run "npm run build:cli" (npm test does it first)`)
})

const wholeFile = (path: string) => {
  const repo = ChatRepository.open(path)
  try {
    return storageStats(repo)
  } finally {
    repo.close()
  }
}

describe('chv stats', () => {
  it('answers from an index in the data folder (what reading every row says), and follows new rows', () => {
    const path = demoFile()
    ChatRepository.open(path).close()
    const before = sha256(path)
    const data = tempDir()
    const first = chv(data, 'stats', path, '--json')
    expect(first).toMatchObject({ code: 0, stderr: '' })
    expect(readdirSync(join(data, 'search')).some((f) => f.endsWith('.derived.db'))).toBe(true)
    expect(sha256(path)).toBe(before)
    expect(JSON.parse(first.stdout)).toEqual(wholeFile(path))

    const writer = ChatRepository.open(path, { mode: 'write' })
    writer.addEvent({ conversation_id: 'big', type: 'tool_result', content: 'x'.repeat(20_000) })
    writer.db.prepare("DELETE FROM chat_events WHERE conversation_id = 'demo-sql-help'").run()
    writer.close()
    const again = chv(data, 'stats', path, '--json')
    expect(again).toMatchObject({ code: 0, stderr: '' })
    const stats = JSON.parse(again.stdout) as ReturnType<typeof storageStats>
    expect(stats).toEqual(wholeFile(path))
    expect(stats.largest[0]).toMatchObject({ conversation_id: 'big', events: 1 })

    const text = chv(data, 'stats', path)
    expect(text.code).toBe(0)
    expect(text.stdout).toMatch(/^File: .* events\.\nCompaction: 1 pending replies, 5 chunk rows/)
  })

  it('reads the whole file, with a one-line note, when the index cannot be kept', () => {
    const path = demoFile()
    const data = join(tempDir(), 'not-a-folder')
    writeFileSync(data, 'a file where the data folder should be')
    const r = chv(data, 'stats', path, '--json')
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toEqual(wholeFile(path))
    expect(r.stderr).toMatch(/^chv: note: counted without the index \(.+\)\n$/)
  })
})
