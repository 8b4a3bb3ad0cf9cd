import react from '@vitejs/plugin-react'
import { defineConfig } from 'electron-vite'
import type { Plugin } from 'vite'

// The dev server injects an inline script (React refresh) and a websocket: allowed in development only.
const devCsp: Plugin = {
  name: 'chv-dev-csp',
  apply: 'serve',
  transformIndexHtml: (html) =>
    html
      .replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
      .replace("connect-src 'self'", "connect-src 'self' ws:"),
}

export default defineConfig({
  // rolldownOptions: Vite 8 bundles with Rolldown; `rollupOptions` is its deprecated alias.
  main: {
    build: {
      rolldownOptions: {
        external: ['better-sqlite3'],
        // The database worker is its own entry, loaded by path beside index.js.
        input: { index: 'src/main/index.ts', 'handler-worker': 'src/main/api/handler-worker.ts' },
      },
    },
  },
  preload: {
    // Sandboxed preloads must be CommonJS.
    build: { rolldownOptions: { output: { format: 'cjs', entryFileNames: '[name].cjs' } } },
  },
  renderer: {
    plugins: [react(), devCsp],
    build: { minify: true },
  },
})
