import { defineConfig } from 'vite'

// The `chv` command: ES modules for Node, dependencies left to node_modules.
export default defineConfig({
  build: {
    ssr: true,
    outDir: 'out/cli',
    target: 'node20',
    emptyOutDir: true,
    minify: false,
    rollupOptions: {
      // The database worker is its own entry, loaded by path beside chv.js.
      input: { chv: 'src/cli/chv.ts', 'handler-worker': 'src/main/api/handler-worker.ts' },
      output: { entryFileNames: '[name].js', banner: '#!/usr/bin/env node' },
    },
  },
})
