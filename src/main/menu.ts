// The application menu as a value: tests read it, main turns it into a Menu.
import type { MenuItemConstructorOptions } from 'electron'

export interface MenuActions {
  open(): void
  openRecent(path: string): void
  clearRecent(): void
  reveal(): void
  about(): void
}

export function menuTemplate(
  actions: MenuActions,
  recent: readonly string[],
  platform: NodeJS.Platform,
  isDevelopment: boolean,
): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin'
  const recentItems: MenuItemConstructorOptions[] = recent.length
    ? [
        ...recent.map((path) => ({ label: path, click: () => actions.openRecent(path) })),
        { type: 'separator' as const },
        { label: 'Clear Recent', click: actions.clearRecent },
      ]
    : [{ label: 'No Recent Files', enabled: false }]
  const revealLabel = mac
    ? 'Reveal in Finder'
    : platform === 'win32'
      ? 'Show in Explorer'
      : 'Show in File Manager'
  return [
    ...(mac ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [
        { label: 'Open…', accelerator: 'CmdOrCtrl+O', click: actions.open },
        { label: 'Open Recent', submenu: recentItems },
        { type: 'separator' },
        { label: revealLabel, accelerator: 'CmdOrCtrl+Shift+R', click: actions.reveal },
        { type: 'separator' },
        { role: 'close', accelerator: 'CmdOrCtrl+W' },
        ...(mac ? [] : [{ role: 'quit' as const, accelerator: 'Ctrl+Q' }]),
      ],
    },
    { role: 'editMenu', label: '&Edit' },
    {
      label: '&View',
      submenu: [
        ...(isDevelopment
          ? [{ role: 'reload' as const }, { role: 'toggleDevTools' as const }, { type: 'separator' as const }]
          : []),
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    { label: '&Help', role: 'help', submenu: [{ label: 'About Chat History Viewer', click: actions.about }] },
  ]
}
