// One derived index per open file, built and kept current in small steps between requests (as the
// search service does for search). Answers come from what is summarized so far, with its status.
import { sizeOf } from './index-wal'
import type { FileRegistry } from '../api/file-registry'
import type { StorageStats } from '../../shared/api'
import { fileIdentity } from '../db/open-database'
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

interface Entry {
  index: DerivedIndex
  running: boolean
  closed?: boolean
}

/** Work per step: short enough that the process stays responsive while a big file is indexed. */
const STEP_MS = 20
/** How long a request for stats may spend bringing the index current before the file is read instead. */
const CATCH_UP_MS = 500

export interface IndexStatus extends DerivedStatus {
  /** The index's own size on disk (its file and -wal), to show beside the history's. */
  bytes: number
}

function sameFile(index: DerivedIndex): boolean {
  try {
    const now = fileIdentity(index.path)
    return now.dev === index.identity.dev && now.ino === index.identity.ino
  } catch {
    return false
  }
}

export class DerivedService {
  private readonly indexes = new Map<string, Entry>()

  constructor(
    private readonly files: FileRegistry,
    private readonly dir: string,
  ) {
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
    const entry = this.entry(fileId)
    if (!entry) return undefined
    const path = entry.index.indexPath
    return { ...entry.index.status(), bytes: sizeOf(path) + sizeOf(`${path}-wal`) }
  }

  query(
    fileId: string,
    filters: ConversationFilters,
    page: { offset: number; limit: number },
  ): (ConversationQueryResult & { status: IndexStatus }) | undefined {
    const entry = this.entry(fileId)
    if (!entry) return undefined
    return { ...queryConversations(entry.index.db, filters, page), status: this.status(fileId)! }
  }

  /** A page of that list without its counts (see pageOfConversations). */
  page(
    fileId: string,
    filters: ConversationFilters,
    page: { offset: number; limit: number },
  ): { conversations: IndexedConversation[]; status: IndexStatus } | undefined {
    const entry = this.entry(fileId)
    if (!entry) return undefined
    return { conversations: pageOfConversations(entry.index.db, filters, page), status: this.status(fileId)! }
  }

  /** Where `atUnix` falls in the list `filters` give (see positionOf). */
  position(
    fileId: string,
    filters: ConversationFilters,
    atUnix: number,
  ): { offset: number; status: IndexStatus } | undefined {
    const entry = this.entry(fileId)
    if (!entry) return undefined
    return { ...positionOf(entry.index.db, filters, atUnix), status: this.status(fileId)! }
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
      const entry = this.entry(fileId)
      if (!entry) return undefined
      const deadline = performance.now() + budgetMs
      let current = entry.index.step(STEP_MS)
      while (!current && performance.now() < deadline) current = entry.index.step(STEP_MS)
      return current ? statsFromIndex(entry.index.db, space) : undefined
    } catch (error) {
      console.error(`storage stats from the derived index: ${(error as Error).message}`)
      return undefined
    }
  }

  /** Closes a file's index (before its file is deleted: it holds previews and ids). */
  forget(fileId: string): void {
    const entry = this.indexes.get(fileId)
    if (!entry) return
    entry.closed = true
    entry.index.close()
    this.indexes.delete(fileId)
  }

  closeAll(): void {
    for (const entry of this.indexes.values()) {
      entry.closed = true
      entry.index.close()
    }
    this.indexes.clear()
  }

  private entry(fileId: string): Entry | undefined {
    const ref = this.files.ref(fileId)
    if (!ref) return undefined
    let entry = this.indexes.get(fileId)
    if (entry && !sameFile(entry.index)) {
      entry.closed = true
      entry.index.close()
      entry = undefined
    }
    if (!entry) {
      entry = { index: new DerivedIndex(ref.path, this.dir), running: false }
      this.indexes.set(fileId, entry)
    }
    if (entry.index.noticeChanges() || !entry.running) this.run(entry)
    return entry
  }

  private run(entry: Entry): void {
    if (entry.running) return
    entry.running = true
    // A step runs outside any request: an exception must stop this index only, not the worker.
    const tick = () => {
      if (entry.closed) return
      let done = true
      try {
        done = entry.index.step(STEP_MS)
      } catch (error) {
        console.error(`derived index of ${entry.index.path}: ${(error as Error).message}`)
      }
      if (done) entry.running = false
      else setImmediate(tick)
    }
    setImmediate(tick)
  }
}
