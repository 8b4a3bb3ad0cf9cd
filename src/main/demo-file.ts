// The demo database the app opens when started without a file, made once in the app's data folder.
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { writeDemoHistory } from './db/demo-history'
import { ChatRepository } from './db/repository'

export function ensureDemoDatabase(dataDir: string): string {
  const path = join(dataDir, 'demo.db')
  if (existsSync(path)) return path
  mkdirSync(dataDir, { recursive: true })
  // Written beside, then renamed: a crash never leaves a half-made demo behind.
  const partial = `${path}.partial`
  for (const suffix of ['', '-wal', '-shm']) rmSync(partial + suffix, { force: true })
  const repo = ChatRepository.open(partial, { mode: 'create' })
  writeDemoHistory(repo)
  repo.db.pragma('wal_checkpoint(TRUNCATE)')
  repo.close()
  renameSync(partial, path)
  return path
}
