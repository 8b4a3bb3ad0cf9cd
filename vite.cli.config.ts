import { chmodSync } from 'node:fs'
import { join } from 'node:path'
import { defineConfig, type Plugin } from 'vite'

const OUT_DIR = 'out/cli'

// The bundler writes files without their run bit; npx's link to `chv` (package.json "bin") needs it,
// and only npm's install sets it, so every rebuild after `npm ci` would break `npx chv` without this.
const keepRunBit: Plugin = {
  name: 'chv-keep-run-bit',
  apply: 'build',
  writeBundle: () => chmodSync(join(OUT_DIR, 'chv.js'), 0o755),
}

// The `chv` command: ES modules for Node, dependencies left to node_modules.
export default defineConfig({
  plugins: [keepRunBit],
  build: {
    ssr: true,
    outDir: OUT_DIR,
    target: 'node20',
    emptyOutDir: true,
    minify: false,
    rolldownOptions: {
      // The database worker is its own entry, loaded by path beside chv.js.
      input: { chv: 'src/cli/chv.ts', 'handler-worker': 'src/main/api/handler-worker.ts' },
      output: { entryFileNames: '[name].js', banner: '#!/usr/bin/env node' },
    },
  },
})
