// Locks down a session and each web contents: one permission, no navigation, no new windows.
import type { Session, WebContents } from 'electron'
import { isAllowedExternalUrl } from './external-links'

/** The one permission the app uses: writing to the clipboard (the Copy buttons), sanitized by Chromium. */
export const ALLOWED_PERMISSION = 'clipboard-sanitized-write'

/** `scheme://host` of a URL; not URL.origin, which is "null" for custom schemes such as app://. */
export function originOf(url: string): string | undefined {
  try {
    const parsed = new URL(url)
    return parsed.host ? `${parsed.protocol}//${parsed.host}` : undefined
  } catch {
    return undefined
  }
}

/**
 * Every permission (camera, notifications, clipboard-read, …) is refused, except clipboard writes
 * asked by our own pages (`origins`: app://renderer, and the dev server in development).
 */
export function hardenSession(
  session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>,
  origins: readonly string[],
): void {
  const allowed = (permission: string, url: string | undefined) =>
    permission === ALLOWED_PERMISSION && url !== undefined && origins.includes(originOf(url) ?? '')
  session.setPermissionRequestHandler((_contents, permission, callback, details) =>
    callback(allowed(permission, details.requestingUrl)),
  )
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    allowed(permission, requestingOrigin),
  )
}

/**
 * The window never navigates away or opens windows; allowed links go to the user's browser instead.
 * `openExternal` is shell.openExternal in the app.
 */
export function hardenContents(
  contents: Pick<WebContents, 'on' | 'setWindowOpenHandler'>,
  openExternal: (url: string) => unknown,
): void {
  // event.url: the positional url argument of will-navigate is deprecated.
  contents.on('will-navigate', (event) => {
    event.preventDefault()
    if (isAllowedExternalUrl(event.url)) void openExternal(event.url)
  })
  contents.on('will-redirect', (event) => event.preventDefault())
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalUrl(url)) void openExternal(url)
    return { action: 'deny' }
  })
}
