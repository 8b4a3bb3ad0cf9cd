import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DerivedIndex } from '../../../src/main/index/derived-index'
import { sizeOf } from '../../../src/main/index/index-wal'
import { SearchIndex, searchIndexPath } from '../../../src/main/search/search-index'
import { demoFile } from '../../helpers/demo'
import { tempDir } from '../../helpers/files'

describe("an index's -wal once it is built", () => {
  it('is no larger than the index itself, so a small history`s indexes are their own size', () => {
    const path = demoFile()
    const dir = join(tempDir(), 'search')
    const derived = new DerivedIndex(path, dir)
    derived.buildAll()
    const search = new SearchIndex(path, dir)
    while (!search.step(50)) {
      /* build */
    }
    for (const file of [derived.indexPath, searchIndexPath(path, dir)]) {
      expect(sizeOf(file)).toBeGreaterThan(0)
      expect(sizeOf(`${file}-wal`)).toBeLessThanOrEqual(sizeOf(file))
    }
    derived.close()
    search.close()
  })
})
