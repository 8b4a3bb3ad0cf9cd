// The renderer's only bridge: one named call per contract channel, change notifications, dropped files.
// Only `electron` is imported at runtime; a test checks these names against the contract.
import { contextBridge, ipcRenderer, webUtils } from 'electron'

const invoke = (channel: string) => (input: unknown) => ipcRenderer.invoke(channel, input)

contextBridge.exposeInMainWorld('api', {
  files: { list: invoke('files.list'), info: invoke('files.info') },
  conversations: { list: invoke('conversations.list'), stats: invoke('conversations.stats') },
  events: { page: invoke('events.page'), get: invoke('events.get') },
  model: { view: invoke('model.view') },
  search: { status: invoke('search.status'), query: invoke('search.query') },
  cleanup: { plan: invoke('cleanup.plan'), apply: invoke('cleanup.apply') },
  delete: { plan: invoke('delete.plan'), apply: invoke('delete.apply') },
  snapshots: { list: invoke('snapshots.list'), undo: invoke('snapshots.undo') },
  vacuum: { plan: invoke('vacuum.plan'), apply: invoke('vacuum.apply') },
  lint: { run: invoke('lint.run') },
  storage: { stats: invoke('storage.stats') },
  export: { conversations: invoke('export.conversations') },
  onFileChanged(listener: (change: unknown) => void) {
    const forward = (_event: unknown, change: unknown) => listener(change)
    ipcRenderer.on('files.changed', forward)
    return () => void ipcRenderer.removeListener('files.changed', forward)
  },
  // The path comes from the dropped File itself (webUtils), never from page script.
  openDroppedFile: (file: File) => ipcRenderer.invoke('app.openDropped', webUtils.getPathForFile(file)),
})
