// One search index per open file, built and kept current in the background (background-indexes.ts).
import type { SearchHit, SearchStatus } from '../../shared/api'
import type { FileRegistry } from '../api/file-registry'
import { BackgroundIndexes } from '../index/background-indexes'
import { pruneSearchIndexes } from '../index/index-files'
import { SearchIndex, type SearchQuery } from './search-index'

export class SearchService {
  private readonly indexes: BackgroundIndexes<SearchIndex>

  constructor(files: FileRegistry, dir: string) {
    this.indexes = new BackgroundIndexes(files, (path) => new SearchIndex(path, dir), 'search index')
    // Indexes of histories gone for 30 days go; a failure here must not stop the app.
    try {
      pruneSearchIndexes(dir)
    } catch (error) {
      console.error(`pruning search indexes in ${dir}: ${(error as Error).message}`)
    }
  }

  status(fileId: string): SearchStatus | undefined {
    return this.indexes.get(fileId)?.status()
  }

  /** Hits found so far (while the index builds, in what it has indexed), and how far it got. */
  query(fileId: string, query: SearchQuery): { hits: SearchHit[]; status: SearchStatus } | undefined {
    const index = this.indexes.get(fileId)
    if (!index) return undefined
    return { hits: index.search(query), status: index.status() }
  }

  /** Closes a file's index (before it is deleted: it may hold text that was removed for good). */
  forget(fileId: string): void {
    this.indexes.forget(fileId)
  }

  /** A file's index (kept current in the background), for queries of its own (search.find). */
  index(fileId: string): SearchIndex | undefined {
    return this.indexes.get(fileId)
  }

  closeAll(): void {
    this.indexes.closeAll()
  }
}
