// One derived index per open file, built and kept current in the background (background-indexes.ts).
// Answers come from what is summarized so far, with its status.
import { indexBytes } from './index-wal'
import type { FileRegistry } from '../api/file-registry'
import type { StorageStats } from '../../shared/api'
import { BackgroundIndexes, STEP_MS } from './background-indexes'
import {
  pageOfConversations,
  queryConversations,
  type ConversationFilters,
  type ConversationQueryResult,
  type IndexedConversation,
} from './conversation-query'
import { positionOf } from './conversation-position'
import { statsFromIndex } from './index-stats'
import { DerivedIndex, type DerivedStatus } from './derived-index'
import { deleteDerivedIndex, pruneDerivedIndexes } from './index-files'

/** How long a request for stats may spend bringing the index current before the file is read instead. */
const CATCH_UP_MS = 500

export interface IndexStatus extends DerivedStatus {
  /** The index's own size on disk (its file and -wal), to show beside the history's. */
  bytes: number
}

export class DerivedService {
  private readonly indexes: BackgroundIndexes<DerivedIndex>

  constructor(
    private readonly files: FileRegistry,
    private readonly dir: string,
  ) {
    this.indexes = new BackgroundIndexes(files, (path) => new DerivedIndex(path, dir), 'derived index')
    // Indexes of histories gone for 30 days go; a failure here must not stop the app.
    try {
      pruneDerivedIndexes(dir)
    } catch (error) {
      console.error(`pruning derived indexes in ${dir}: ${(error as Error).message}`)
    }
  }

  /** Deletes a file's index ("delete index"); the next question builds it again. */
  deleteIndex(fileId: string): { deleted: boolean } | undefined {
    const ref = this.files.ref(fileId)
    if (!ref) return undefined
    this.forget(fileId)
    return { deleted: deleteDerivedIndex(ref.path, this.dir) }
  }

  status(fileId: string): IndexStatus | undefined {
    const index = this.indexes.get(fileId)
    if (!index) return undefined
    return { ...index.status(), bytes: indexBytes(index.indexPath) }
  }

  query(
    fileId: string,
    filters: ConversationFilters,
    page: { offset: number; limit: number },
  ): (ConversationQueryResult & { status: IndexStatus }) | undefined {
    const index = this.indexes.get(fileId)
    if (!index) return undefined
    return { ...queryConversations(index.db, filters, page), status: this.status(fileId)! }
  }

  /** A page of that list without its counts (see pageOfConversations). */
  page(
    fileId: string,
    filters: ConversationFilters,
    page: { offset: number; limit: number },
  ): { conversations: IndexedConversation[]; status: IndexStatus } | undefined {
    const index = this.indexes.get(fileId)
    if (!index) return undefined
    return { conversations: pageOfConversations(index.db, filters, page), status: this.status(fileId)! }
  }

  /** Where `atUnix` falls in the list `filters` give (see positionOf). */
  position(
    fileId: string,
    filters: ConversationFilters,
    atUnix: number,
  ): { offset: number; status: IndexStatus } | undefined {
    const index = this.indexes.get(fileId)
    if (!index) return undefined
    return { ...positionOf(index.db, filters, atUnix), status: this.status(fileId)! }
  }

  /**
   * Storage stats from the index when it can be brought current within `budgetMs` (new rows since the
   * last look take tens of ms); undefined otherwise (the caller reads the file; the index keeps
   * building in the background, and the next ask is answered from it).
   */
  storageStats(
    fileId: string,
    space: { fileBytes: number; freeBytes: number },
    budgetMs = CATCH_UP_MS,
  ): StorageStats | undefined {
    // An index that cannot be built or read (its folder unwritable, say) must not stop the answer.
    try {
      const index = this.indexes.get(fileId)
      if (!index) return undefined
      const deadline = performance.now() + budgetMs
      let current = index.step(STEP_MS)
      while (!current && performance.now() < deadline) current = index.step(STEP_MS)
      return current ? statsFromIndex(index.db, space) : undefined
    } catch (error) {
      console.error(`storage stats from the derived index: ${(error as Error).message}`)
      return undefined
    }
  }

  /** Closes a file's index (before its file is deleted: it holds previews and ids). */
  forget(fileId: string): void {
    this.indexes.forget(fileId)
  }

  closeAll(): void {
    this.indexes.closeAll()
  }
}
