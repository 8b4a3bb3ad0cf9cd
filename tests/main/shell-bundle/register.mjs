// node --import ./register.mjs out/main/index.js: the built main process, with `electron` resolved to
// fake-electron.mjs (the real package would try to download a binary, and Node cannot be Electron).
import { register } from 'node:module'

register('./resolve-electron.mjs', import.meta.url)
