// The loopback HTTP transport: the built renderer and the same handlers, for a browser on this machine
// (or through an SSH tunnel). Loopback only, a random token per run, Host and Origin checked.
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize, sep } from 'node:path'
import { FILE_CHANGED, type FileRef } from '../../shared/api'
import type { Dispatcher } from '../api/handler-host'
import { MAX_JSON_DEPTH, nestedDeeperThan } from '../db/json-cell'
import { watchDatabase } from '../db/watch-database'
import { CONTENT_SECURITY_POLICY } from '../security/content-security-policy'

export interface ServeOptions {
  /** The handlers (in a worker thread in `chv serve`); writes are refused by them unless enabled. */
  dispatch: Dispatcher
  /** The files being served, for change notifications. */
  files(): FileRef[]
  /** The built renderer (index.html and assets). */
  rendererDir: string
  host?: string
  /** 0 picks a free port. */
  port?: number
}

export interface RunningServer {
  /** The address to open, with the token in the fragment (never sent to the server or in logs). */
  url: string
  origin: string
  token: string
  close(): Promise<void>
}

export const MAX_BODY_BYTES = 1024 * 1024
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1'])
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1'
  if (!LOOPBACK.has(host)) {
    throw new Error(`Refusing to listen on ${host}: chv serve only listens on loopback (127.0.0.1, ::1).`)
  }
  const token = randomBytes(24).toString('base64url')
  let allowedHosts: string[] = []
  let origins: string[] = []

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const status = error instanceof HttpError ? error.status : 500
      const message = error instanceof HttpError ? error.message : 'Internal error.'
      // One line in the server's terminal, never a stack: the page gets the short answer.
      if (status === 500)
        console.error(
          `chv serve: ${req.method} ${req.url?.split('?')[0]}: ${(error as Error)?.message ?? error}`,
        )
      if (!res.headersSent) send(res, status, { error: message })
      else res.end()
    })
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // DNS rebinding: a page from elsewhere that resolves its name to 127.0.0.1 still sends its own Host.
    if (!allowedHosts.includes(req.headers.host ?? '')) throw new HttpError(421, 'Wrong Host header.')
    const url = new URL(req.url ?? '/', origins[0])
    if (!url.pathname.startsWith('/api/')) return serveStatic(url.pathname, res)
    const origin = req.headers.origin
    if (origin !== undefined && !origins.includes(origin))
      throw new HttpError(403, `Requests from ${origin} are refused.`)
    const given = req.headers['x-chv-token'] ?? url.searchParams.get('token') ?? ''
    if (!sameToken(String(given), token))
      throw new HttpError(401, 'Missing or wrong token: open the address chv serve printed.')
    if (url.pathname === '/api/changes' && req.method === 'GET') return streamChanges(req, res)
    if (req.method !== 'POST') throw new HttpError(405, 'Use POST for API calls.')
    const body = await readBody(req)
    // Deeply nested input would overflow the stack of what reads it next (the copy to the worker).
    if (nestedDeeperThan(body))
      throw new HttpError(400, `The request body is nested deeper than ${MAX_JSON_DEPTH} levels.`)
    let input: unknown
    try {
      input = body.length === 0 ? {} : JSON.parse(body)
    } catch {
      throw new HttpError(400, 'The request body is not JSON.')
    }
    const result = await options.dispatch(url.pathname.slice('/api/'.length), input)
    if (result.kind === 'unknown_channel') throw new HttpError(404, result.message)
    if (result.kind === 'writes_disabled')
      throw new HttpError(403, `${result.message} Start chv serve with --write.`)
    if (result.kind === 'bad_input') throw new HttpError(400, result.message)
    send(res, 200, result.output)
  }

  async function serveStatic(pathname: string, res: ServerResponse): Promise<void> {
    let relative = 'index.html'
    try {
      if (pathname !== '/') relative = decodeURIComponent(pathname.slice(1))
    } catch {
      throw new HttpError(400, 'The path has a malformed % escape.')
    }
    const file = normalize(join(options.rendererDir, relative))
    if (!file.startsWith(options.rendererDir + sep)) throw new HttpError(404, 'Not found.')
    let content: Buffer
    try {
      content = await readFile(file)
    } catch {
      throw new HttpError(404, 'Not found.')
    }
    res.writeHead(200, {
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
    })
    res.end(content)
  }

  function streamChanges(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    })
    res.write(': connected\n\n')
    const stops = options
      .files()
      .map((ref) =>
        watchDatabase(ref.path, () =>
          res.write(`event: ${FILE_CHANGED}\ndata: ${JSON.stringify({ fileId: ref.fileId })}\n\n`),
        ),
      )
    req.on('close', () => stops.forEach((stop) => stop()))
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, resolve)
  })
  const { port } = server.address() as AddressInfo
  const hostPart = host === '::1' ? '[::1]' : host
  allowedHosts = [`${hostPart}:${port}`, `localhost:${port}`]
  origins = allowedHosts.map((h) => `http://${h}`)
  return {
    url: `${origins[0]}/#token=${token}`,
    origin: origins[0]!,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

function sameToken(given: string, token: string): boolean {
  const a = Buffer.from(given)
  const b = Buffer.from(token)
  return a.length === b.length && timingSafeEqual(a, b)
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0)
    if (declared > MAX_BODY_BYTES) {
      reject(new HttpError(413, `Request body over ${MAX_BODY_BYTES} bytes.`))
      return
    }
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      // Past the limit the rest is read and dropped, so the client still gets the answer.
      if (size > MAX_BODY_BYTES) reject(new HttpError(413, `Request body over ${MAX_BODY_BYTES} bytes.`))
      else chunks.push(chunk)
    })
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
  })
  res.end(JSON.stringify(body))
}
