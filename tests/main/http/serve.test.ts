import { mkdirSync, writeFileSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { FileRegistry } from '../../../src/main/api/file-registry'
import { dispatch } from '../../../src/main/api/dispatch'
import { createHandlers } from '../../../src/main/api/handlers'
import { MAX_BODY_BYTES, startServer, type RunningServer } from '../../../src/main/http/serve'
import { ChatRepository } from '../../../src/main/db/repository'
import { demoFile } from '../../helpers/demo'
import { tempDir } from '../../helpers/files'

let server: RunningServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

async function start(allowWrite = false, db = demoFile()) {
  const rendererDir = join(tempDir(), 'renderer')
  mkdirSync(rendererDir)
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>app</title>')
  const files = new FileRegistry(allowWrite ? 'write' : 'read')
  const { fileId } = files.add(db)
  const handlers = createHandlers(files, {
    dataDir: tempDir(),
    searchDir: join(tempDir(), 'search'),
  })
  server = await startServer({
    dispatch: (channel, input) => dispatch(handlers, channel, input, allowWrite),
    files: () => files.list(),
    rendererDir,
  })
  return { server, fileId, db }
}

interface Sent {
  status: number
  body: string
  headers: Record<string, string | string[] | undefined>
}

/** A raw HTTP request, so tests can send any Host and Origin. */
function send(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Sent> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: options.method ?? 'POST', headers: options.headers }, (res) => {
      let body = ''
      res.on('data', (d: Buffer) => (body += d.toString()))
      res.on('end', () => resolve({ status: res.statusCode!, body, headers: res.headers }))
    })
    req.on('error', reject)
    req.end(options.body)
  })
}

const api = (s: RunningServer, channel: string, input: unknown, headers: Record<string, string> = {}) =>
  send(`${s.origin}/api/${channel}`, {
    headers: { 'Content-Type': 'application/json', 'X-CHV-Token': s.token, ...headers },
    body: JSON.stringify(input),
  })

describe('chv serve`s HTTP transport', () => {
  it('answers API calls with the token, and serves the app with a strict CSP', async () => {
    const { server: s, fileId } = await start()
    const listed = await api(s, 'conversations.list', { fileId, limit: 2 })
    expect(listed.status).toBe(200)
    expect(JSON.parse(listed.body)).toMatchObject({ ok: true, value: { conversations: [{}, {}] } })
    const page = await send(`${s.origin}/`, { method: 'GET' })
    expect(page.status).toBe(200)
    expect(page.headers['content-security-policy']).toMatch(/default-src 'none'; script-src 'self'/)
    expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]{32}$/)
  })

  it('refuses a missing or wrong token', async () => {
    const { server: s, fileId } = await start()
    for (const token of ['', 'wrong', s.token.slice(1)]) {
      const r = await api(s, 'files.list', { fileId }, { 'X-CHV-Token': token })
      expect(r.status).toBe(401)
      expect(JSON.parse(r.body).error).toMatch(/Missing or wrong token/)
    }
  })

  it('refuses a wrong Host (DNS rebinding), for pages and API alike', async () => {
    const { server: s } = await start()
    for (const path of ['/', '/api/files.list']) {
      const r = await send(`${s.origin}${path}`, {
        headers: { Host: 'attacker.example:80', 'X-CHV-Token': s.token },
      })
      expect(r.status).toBe(421)
      expect(r.body).toMatch(/Wrong Host header/)
    }
  })

  it('refuses a foreign Origin, even with the token', async () => {
    const { server: s } = await start()
    const r = await api(s, 'files.list', {}, { Origin: 'https://attacker.example' })
    expect(r.status).toBe(403)
    expect(JSON.parse(r.body).error).toMatch(/Requests from https:\/\/attacker\.example are refused/)
    expect((await api(s, 'files.list', {}, { Origin: s.origin })).status).toBe(200)
  })

  it('refuses to listen anywhere but loopback', async () => {
    const options = {
      dispatch: () => ({ kind: 'ok' as const, output: null }),
      files: () => [],
      rendererDir: tempDir(),
    }
    for (const host of ['0.0.0.0', '::', '192.168.1.10']) {
      await expect(startServer({ ...options, host })).rejects.toThrow(/only listens on loopback/)
    }
  })

  it('refuses an oversized body', async () => {
    const { server: s, fileId } = await start()
    const big = JSON.stringify({ fileId, pad: 'x'.repeat(MAX_BODY_BYTES) })
    const r = await send(`${s.origin}/api/files.info`, { headers: { 'X-CHV-Token': s.token }, body: big })
    expect(r.status).toBe(413)
    expect(JSON.parse(r.body).error).toMatch(/over 1048576 bytes/)
  })

  it('refuses writes unless started with --write, and leaves the file alone', async () => {
    const { server: s, fileId, db } = await start(false)
    const plan = JSON.parse((await api(s, 'cleanup.plan', { fileId, minAgeSeconds: 1 })).body).value
    expect(plan.groups).toHaveLength(1)
    const r = await api(s, 'cleanup.apply', { fileId, planId: plan.planId, replies: 1, chunks: 5 })
    expect(r.status).toBe(403)
    expect(JSON.parse(r.body).error).toMatch(/writing is not enabled\. Start chv serve with --write/)
    expect(ChatRepository.open(db).getEvents('demo-stream-pending')).toHaveLength(6)
  })

  it('applies a write with --write', async () => {
    const { server: s, fileId, db } = await start(true)
    const plan = JSON.parse((await api(s, 'cleanup.plan', { fileId, minAgeSeconds: 1 })).body).value
    // A plan the server did not issue (here: a made-up id) is refused, the file untouched.
    const forged = await api(s, 'cleanup.apply', { fileId, planId: 'f'.repeat(36), replies: 1, chunks: 5 })
    expect(JSON.parse(forged.body)).toMatchObject({ ok: false, reason: 'plan_expired' })
    expect(ChatRepository.open(db).getEvents('demo-stream-pending')).toHaveLength(6)
    const r = await api(s, 'cleanup.apply', { fileId, planId: plan.planId, replies: 1, chunks: 5 })
    expect(JSON.parse(r.body)).toMatchObject({ ok: true, value: { compacted: 1, chunksRemoved: 5 } })
    expect(ChatRepository.open(db).getEvents('demo-stream-pending')).toHaveLength(2)
  })

  it('refuses bad input, unknown operations, non-JSON bodies and paths outside the app', async () => {
    const { server: s } = await start()
    expect((await api(s, 'conversations.list', { fileId: 'f1', limit: 'all' })).status).toBe(400)
    expect((await api(s, 'files.delete', {})).status).toBe(404)
    const notJson = await send(`${s.origin}/api/files.list`, {
      headers: { 'X-CHV-Token': s.token },
      body: '{',
    })
    expect(notJson.status).toBe(400)
    expect((await send(`${s.origin}/..%2f..%2fetc%2fpasswd`, { method: 'GET' })).status).toBe(404)
  })
})
