// Locks down a session and each web contents: no permissions, no navigation, no new windows.
import type { Session, WebContents } from 'electron'
import { isAllowedExternalUrl } from './external-links'

/** Every permission (camera, notifications, clipboard-read, …) is refused: the viewer needs none. */
export function hardenSession(
  session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>,
): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  session.setPermissionCheckHandler(() => false)
}

/**
 * The window never navigates away or opens windows; allowed links go to the user's browser instead.
 * `openExternal` is shell.openExternal in the app.
 */
export function hardenContents(
  contents: Pick<WebContents, 'on' | 'setWindowOpenHandler'>,
  openExternal: (url: string) => unknown,
): void {
  contents.on('will-navigate', (event, url) => {
    event.preventDefault()
    if (isAllowedExternalUrl(url)) void openExternal(url)
  })
  contents.on('will-redirect', (event) => event.preventDefault())
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalUrl(url)) void openExternal(url)
    return { action: 'deny' }
  })
}
