import { defineConfig } from 'vite'

// The `chv` command: one ES module for Node, dependencies left to node_modules.
export default defineConfig({
  build: {
    ssr: 'src/cli/chv.ts',
    outDir: 'out/cli',
    target: 'node20',
    emptyOutDir: true,
    minify: false,
    rollupOptions: {
      output: { entryFileNames: 'chv.js', banner: '#!/usr/bin/env node' },
    },
  },
})
