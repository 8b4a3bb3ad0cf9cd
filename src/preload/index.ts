// The renderer's only bridge to main; the typed API contract is exposed here (see ARCHITECTURE.md).
import { contextBridge } from 'electron'

contextBridge.exposeInMainWorld('api', {})
