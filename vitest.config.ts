import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Real SQLite files and child processes: give a shared 2-core machine room.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
})
