// The renderer's only bridge: one named call per contract channel, change notifications, dropped files.
// Only `electron` is imported at runtime (a sandboxed preload cannot load our modules; eslint.config.js
// fences this folder); the types come from the contract, and `satisfies Bridge` checks every name.
import { contextBridge, ipcRenderer, webUtils } from 'electron'
import type { Bridge, Channel, FileChanged, Input, IpcReply, Output } from '../shared/api'

const invoke =
  <C extends Channel>(channel: C) =>
  (input: Input<C>) =>
    ipcRenderer.invoke(channel, input) as Promise<IpcReply<Output<C>>>

const api = {
  files: { list: invoke('files.list'), info: invoke('files.info') },
  conversations: {
    list: invoke('conversations.list'),
    stats: invoke('conversations.stats'),
    query: invoke('conversations.query'),
    page: invoke('conversations.page'),
    position: invoke('conversations.position'),
  },
  events: { page: invoke('events.page'), get: invoke('events.get') },
  model: { view: invoke('model.view') },
  search: { status: invoke('search.status'), query: invoke('search.query'), find: invoke('search.find') },
  index: { status: invoke('index.status'), delete: invoke('index.delete') },
  cleanup: { plan: invoke('cleanup.plan'), apply: invoke('cleanup.apply') },
  delete: { plan: invoke('delete.plan'), apply: invoke('delete.apply') },
  undo: { list: invoke('undo.list'), apply: invoke('undo.apply') },
  backup: { create: invoke('backup.create') },
  privacy: { scan: invoke('privacy.scan'), redact: invoke('privacy.redact') },
  vacuum: { plan: invoke('vacuum.plan'), apply: invoke('vacuum.apply') },
  lint: { run: invoke('lint.run') },
  storage: { stats: invoke('storage.stats') },
  export: { conversations: invoke('export.conversations') },
  onFileChanged(listener: (change: FileChanged) => void) {
    const forward = (_event: unknown, change: FileChanged) => listener(change)
    ipcRenderer.on('files.changed', forward)
    return () => void ipcRenderer.removeListener('files.changed', forward)
  },
  // The path comes from the dropped File itself (webUtils), never from page script.
  openDroppedFile: (file: File) =>
    ipcRenderer.invoke('app.openDropped', webUtils.getPathForFile(file)) as Promise<IpcReply<void>>,
} satisfies Bridge

contextBridge.exposeInMainWorld('api', api)
