// The renderer is served from app://renderer/…, a custom scheme with the CSP as a header, rather than
// file:// (which would give the page access to every local file).
import { normalize, sep } from 'node:path'

export const APP_SCHEME = 'app'
export const APP_HOST = 'renderer'
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`

/** The file under `rendererDir` that an app:// URL names, or undefined for anything outside it. */
export function rendererFileFor(url: string, rendererDir: string): string | undefined {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return undefined
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return undefined
  const relative = decodeURIComponent(parsed.pathname).replace(/^\/+/, '') || 'index.html'
  const file = normalize(`${rendererDir}${sep}${relative}`)
  return file.startsWith(normalize(rendererDir) + sep) ? file : undefined
}
