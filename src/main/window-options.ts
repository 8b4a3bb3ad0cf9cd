// The app window's options, as a value tests can read.
import type { BrowserWindowConstructorOptions } from 'electron'

export interface WindowLook {
  /** nativeTheme.shouldUseDarkColors: the background before the page paints, so light mode never flashes dark. */
  dark: boolean
  /** !app.isPackaged: DevTools only in development (a user's build has no way into the page's script). */
  devTools: boolean
}

export function windowOptions(
  preloadPath: string,
  title: string,
  look: WindowLook = { dark: false, devTools: false },
): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 820,
    minWidth: 720,
    minHeight: 480,
    title,
    show: false,
    backgroundColor: look.dark ? '#16181d' : '#ffffff',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools: look.devTools,
    },
  }
}
