// The renderer is served from app://renderer/…, a custom scheme with the CSP as a header, rather than
// file:// (which would give the page access to every local file).
import { normalize, sep } from 'node:path'

export const APP_SCHEME = 'app'
export const APP_HOST = 'renderer'
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`

/**
 * app:// is standard (relative URLs, an origin), secure (like https), may be fetched, and keeps V8's
 * code cache (without `codeCache`, every start compiles the renderer's scripts again).
 */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
}

/** The file under `rendererDir` that an app:// URL names, or undefined for anything outside it. */
export function rendererFileFor(url: string, rendererDir: string): string | undefined {
  let parsed: URL
  let path: string
  try {
    parsed = new URL(url)
    // A malformed escape (app://renderer/%E0%A4%A) would throw: it names no file.
    path = decodeURIComponent(parsed.pathname)
  } catch {
    return undefined
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return undefined
  const relative = path.replace(/^\/+/, '') || 'index.html'
  // A folder (app://renderer/assets/) is never a page: net.fetch would answer with its listing.
  if (relative.endsWith('/')) return undefined
  const file = normalize(`${rendererDir}${sep}${relative}`)
  return file.startsWith(normalize(rendererDir) + sep) ? file : undefined
}

/**
 * The app:// protocol handler: a file of the renderer folder with the CSP, else 404. `isFile` and
 * `fetchFile` are fs.statSync and net.fetch in the app; a folder or a missing file never reaches fetch.
 */
export function rendererHandler(
  rendererDir: string,
  csp: string,
  isFile: (path: string) => boolean,
  fetchFile: (path: string) => Promise<Response>,
): (request: { url: string }) => Promise<Response> {
  return async (request) => {
    const file = rendererFileFor(request.url, rendererDir)
    if (!file || !isFile(file)) return new Response('Not found', { status: 404 })
    const response = await fetchFile(file)
    const headers = new Headers(response.headers)
    headers.set('Content-Security-Policy', csp)
    return new Response(response.body, { status: response.status, headers })
  }
}
