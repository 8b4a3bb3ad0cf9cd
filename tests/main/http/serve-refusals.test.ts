// The server refuses, or answers with a typed failure, where it used to answer 500 with a stack.
import {
  closeSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs'
import { request as httpRequest } from 'node:http'
import { dirname, join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { FileRegistry } from '../../../src/main/api/file-registry'
import { dispatch } from '../../../src/main/api/dispatch'
import { createHandlers } from '../../../src/main/api/handlers'
import { startServer, type RunningServer } from '../../../src/main/http/serve'
import { ChatRepository } from '../../../src/main/db/repository'
import { demoFile } from '../../helpers/demo'
import { tempDir } from '../../helpers/files'

let server: RunningServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

async function start(db: string, options: { maxExportChars?: number } = {}) {
  const rendererDir = join(tempDir(), 'renderer')
  mkdirSync(rendererDir)
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>app</title>')
  const files = new FileRegistry('read')
  const { fileId } = files.add(db)
  const handlers = createHandlers(files, {
    dataDir: tempDir(),
    searchDir: join(tempDir(), 'search'),
    ...options,
  })
  server = await startServer({
    dispatch: (channel, input) => dispatch(handlers, channel, input, false),
    files: () => files.list(),
    rendererDir,
  })
  return { s: server, fileId }
}

function send(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = httpRequest(url, { method: options.method ?? 'POST', headers: options.headers }, (res) => {
      let body = ''
      res.on('data', (d: Buffer) => (body += d.toString()))
      res.on('end', () => resolve({ status: res.statusCode!, body }))
    })
    req.on('error', reject)
    req.end(options.body)
  })
}

const api = async (s: RunningServer, channel: string, input: unknown) => {
  const r = await send(`${s.origin}/api/${channel}`, {
    headers: { 'Content-Type': 'application/json', 'X-CHV-Token': s.token },
    body: typeof input === 'string' ? input : JSON.stringify(input),
  })
  return { status: r.status, json: JSON.parse(r.body) as Record<string, unknown> }
}

/** A demo history with garbage over pages in its middle: it opens, whole-file reads fail. */
function damagedFile(): string {
  const path = join(tempDir(), 'damaged.db')
  const repo = ChatRepository.open(path, { mode: 'create' })
  repo.addEvents(
    Array.from({ length: 3000 }, (_, i) => ({
      conversation_id: `c${i % 30}`,
      type: 'user_message',
      content: `m${i}`,
    })),
  )
  repo.close()
  const db = new Database(path)
  db.pragma('journal_mode = DELETE')
  db.close()
  const pages = statSync(path).size / 4096
  const fd = openSync(path, 'r+')
  for (let page = Math.floor(pages / 3); page < Math.floor(pages / 3) + 4; page++)
    writeSync(fd, Buffer.alloc(4096, 0xff), 0, 4096, page * 4096)
  closeSync(fd)
  return path
}

describe('chv serve refuses instead of failing', () => {
  it('malformed % escapes in a page path: 400, not 500', async () => {
    const { s } = await start(demoFile())
    for (const path of ['/%E0%A4%A', '/%zz', '/assets/%']) {
      const r = await send(`${s.origin}${path}`, { method: 'GET' })
      expect(r.status, path).toBe(400)
    }
  })

  it('a JSON body nested 200,000 deep: 400', async () => {
    const { s, fileId } = await start(demoFile())
    const deep = `{"fileId": "${fileId}", "x": ${'['.repeat(200_000)}${']'.repeat(200_000)}}`
    const r = await api(s, 'files.info', deep)
    expect(r.status).toBe(400)
    expect(r.json.error).toMatch(/nested deeper than/)
  })

  it('search text with NUL and other control characters answers', async () => {
    const { s, fileId } = await start(demoFile())
    for (const text of ['a\u0000b', '\u0000', 'weather\u0007 "quoted" *']) {
      const r = await api(s, 'search.query', { fileId, text })
      expect(r.status, JSON.stringify(text)).toBe(200)
      expect(r.json.ok, JSON.stringify(r.json)).toBe(true)
    }
  })

  it('lint.run, storage.stats and export on a damaged file: typed damaged', async () => {
    const { s, fileId } = await start(damagedFile())
    const calls: [string, unknown][] = [
      ['lint.run', { fileId }],
      ['storage.stats', { fileId }],
      [
        'export.conversations',
        {
          fileId,
          conversationIds: [
            'c1',
            'c2',
            'c3',
            'c4',
            'c5',
            'c6',
            'c7',
            'c8',
            'c9',
            'c10',
            'c11',
            'c12',
            'c13',
            'c14',
            'c15',
            'c16',
            'c17',
            'c18',
            'c19',
            'c20',
            'c21',
            'c22',
            'c23',
            'c24',
            'c25',
            'c26',
            'c27',
            'c28',
            'c29',
            'c0',
          ],
          format: 'json',
        },
      ],
    ]
    for (const [channel, input] of calls) {
      const r = await api(s, channel, input)
      expect(r.status, channel).toBe(200)
      expect(r.json, channel).toMatchObject({ ok: false, reason: 'damaged' })
    }
  })

  it('an export larger than the limit is refused with its size', async () => {
    const { s, fileId } = await start(demoFile(), { maxExportChars: 2000 })
    const r = await api(s, 'export.conversations', {
      fileId,
      conversationIds: ['demo-weather-paris', 'demo-sql-help'],
      format: 'json',
    })
    expect(r.json).toMatchObject({
      ok: false,
      reason: 'too_large',
      message: expect.stringMatching(/chv export/),
    })
    expect(r.json.message).toMatch(/^This export is 0\.0 MB, more than the 0\.0 MB/)
    const small = await api(s, 'export.conversations', {
      fileId,
      conversationIds: ['demo-app-flow'],
      format: 'md',
    })
    expect(small.json).toMatchObject({ ok: true })
  })

  it('/api/changes after the file`s folder is removed, and while it is watched', async () => {
    const db = demoFile()
    const { s } = await start(db)
    const changes = (token: string) =>
      new Promise<number>((resolve, reject) => {
        const req = httpRequest(`${s.origin}/api/changes?token=${token}`, { method: 'GET' }, (res) => {
          resolve(res.statusCode!)
          setTimeout(() => req.destroy(), 300)
        })
        req.on('error', () => undefined)
        req.on('timeout', reject)
        req.end()
      })
    expect(await changes(s.token)).toBe(200)
    rmSync(dirname(db), { recursive: true, force: true })
    await new Promise((resolve) => setTimeout(resolve, 400))
    expect([200, 404, 410]).toContain(await changes(s.token))
    expect((await api(s, 'files.list', {})).status).toBe(200)
  })
})

describe('a served file renamed over or deleted', () => {
  it('is noticed: file_replaced, then the new file after reopening; deleted: not_found', async () => {
    const path = demoFile()
    const files = new FileRegistry('read')
    const { fileId } = files.add(path)
    const handlers = createHandlers(files, { dataDir: tempDir(), searchDir: join(tempDir(), 'search') })
    const call = (channel: string, input: unknown) => {
      const r = dispatch(handlers, channel, input, false)
      return r.kind === 'ok'
        ? (r.output as { ok: boolean; reason?: string; message?: string; value?: unknown })
        : r
    }
    expect(call('files.info', { fileId })).toMatchObject({ ok: true })
    // Another history renamed over the file (what an editor or a sync tool does).
    const other = join(dirname(path), 'other.db')
    const repo = ChatRepository.open(other, { mode: 'create' })
    repo.addEvent({ conversation_id: 'only-in-the-new-file', type: 'user_message', content: 'new' })
    repo.close()
    renameSync(other, path)
    expect(call('files.info', { fileId })).toMatchObject({
      ok: false,
      reason: 'file_replaced',
      message: expect.stringMatching(/was replaced by another file since it was opened/),
    })
    // Asking again (the page's Reopen) reads the file now at that path.
    expect(call('conversations.list', { fileId, limit: 10 })).toMatchObject({
      ok: true,
      value: { conversations: [{ conversation_id: 'only-in-the-new-file' }] },
    })
    expect(call('files.info', { fileId })).toMatchObject({ ok: true, value: { size: statSync(path).size } })
    rmSync(path)
    expect(call('conversations.list', { fileId, limit: 10 })).toMatchObject({
      ok: false,
      reason: 'not_found',
      message: expect.stringMatching(/was deleted or moved since it was opened\.$/),
    })
    expect(call('files.info', { fileId })).toMatchObject({ ok: false, reason: 'not_found' })
    files.closeAll()
  })
})
