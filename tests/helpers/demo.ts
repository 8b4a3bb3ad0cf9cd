import { join } from 'node:path'
import { writeDemoHistory } from '../../src/main/db/demo-history'
import { ChatRepository } from '../../src/main/db/repository'
import { tempDir } from './files'

/** The demo history in a fresh temporary folder. */
export function demoFile(now?: Date): string {
  const path = join(tempDir(), 'chat_history.db')
  const repo = ChatRepository.open(path, { mode: 'create' })
  writeDemoHistory(repo, now)
  repo.close()
  return path
}
