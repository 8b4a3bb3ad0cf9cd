// One search index per open file, built and kept current in small steps between requests.
import type { SearchHit, SearchStatus } from '../../shared/api'
import type { FileRegistry } from '../api/file-registry'
import { fileIdentity } from '../db/open-database'
import { pruneSearchIndexes } from '../index/index-files'
import { SearchIndex, type SearchQuery } from './search-index'

interface Entry {
  index: SearchIndex
  running: boolean
  /** Closed because the file at its path is another one now: its steps stop. */
  closed?: boolean
}

/** Whether the file at the index's path is still the one it indexes (renamed over: it is not). */
function indexesFileAtPath(index: SearchIndex): boolean {
  try {
    const now = fileIdentity(index.path)
    return now.dev === index.identity.dev && now.ino === index.identity.ino
  } catch {
    return false
  }
}

/** Work per step: short enough that the process stays responsive while a big file is indexed. */
const STEP_MS = 20

export class SearchService {
  private readonly indexes = new Map<string, Entry>()

  constructor(
    private readonly files: FileRegistry,
    private readonly dir: string,
  ) {
    // Indexes of histories gone for 30 days go; a failure here must not stop the app.
    try {
      pruneSearchIndexes(dir)
    } catch (error) {
      console.error(`pruning search indexes in ${dir}: ${(error as Error).message}`)
    }
  }

  status(fileId: string): SearchStatus | undefined {
    const entry = this.entry(fileId)
    return entry?.index.status()
  }

  /** Hits found so far (while the index builds, in what it has indexed), and how far it got. */
  query(fileId: string, query: SearchQuery): { hits: SearchHit[]; status: SearchStatus } | undefined {
    const entry = this.entry(fileId)
    if (!entry) return undefined
    return { hits: entry.index.search(query), status: entry.index.status() }
  }

  /** Closes a file's index (before it is deleted: it may hold text that was removed for good). */
  forget(fileId: string): void {
    const entry = this.indexes.get(fileId)
    if (!entry) return
    entry.closed = true
    entry.index.close()
    this.indexes.delete(fileId)
  }

  /** A file's index (kept current in the background), for queries of its own (search.find). */
  index(fileId: string): SearchIndex | undefined {
    return this.entry(fileId)?.index
  }

  closeAll(): void {
    for (const { index } of this.indexes.values()) index.close()
    this.indexes.clear()
  }

  private entry(fileId: string) {
    const ref = this.files.ref(fileId)
    if (!ref) return undefined
    let entry = this.indexes.get(fileId)
    if (entry && !indexesFileAtPath(entry.index)) {
      entry.closed = true
      entry.index.close()
      entry = undefined
    }
    if (!entry) {
      entry = { index: new SearchIndex(ref.path, this.dir), running: false }
      this.indexes.set(fileId, entry)
    }
    if (entry.index.noticeChanges() || !entry.running) this.run(entry)
    return entry
  }

  private run(entry: Entry): void {
    if (entry.running) return
    entry.running = true
    // A step runs outside any request: an exception here would end the thread that serves every
    // file (the worker). It stops this index instead; the next request for it starts it again.
    const tick = () => {
      let done = true
      if (entry.closed) return
      try {
        done = entry.index.step(STEP_MS)
      } catch (error) {
        console.error(`search index of ${entry.index.path}: ${(error as Error).message}`)
      }
      if (done) entry.running = false
      else setImmediate(tick)
    }
    setImmediate(tick)
  }
}
