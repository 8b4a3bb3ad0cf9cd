import { copyFileSync, existsSync, readdirSync, renameSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DerivedIndex } from '../../../src/main/index/derived-index'
import {
  deleteDerivedIndex,
  deleteSearchIndex,
  pruneDerivedIndexes,
  pruneSearchIndexes,
  searchIndexBytes,
} from '../../../src/main/index/index-files'
import { SearchIndex, searchIndexPath } from '../../../src/main/search/search-index'
import { demoFile } from '../../helpers/demo'
import { tempDir } from '../../helpers/files'

function indexOf(path: string, dir: string): string {
  const index = new DerivedIndex(path, dir)
  index.buildAll()
  index.close()
  return index.indexPath
}

/**
 * Three histories indexed by `index`: one kept, one then deleted, one then replaced by another file
 * renamed over its path (another identity). `beforeGone` runs while the deleted one is still there.
 */
function keptGoneReplaced(
  dir: string,
  index: (path: string, dir: string) => string,
  beforeGone: (gone: string) => void = () => {},
) {
  const [kept, gone, replaced] = [demoFile(), demoFile(), demoFile()]
  const found = {
    keptIndex: index(kept, dir),
    goneIndex: index(gone, dir),
    replacedIndex: index(replaced, dir),
  }
  beforeGone(gone)
  rmSync(gone)
  copyFileSync(replaced, `${replaced}.new`)
  renameSync(`${replaced}.new`, replaced)
  return found
}

const derivedFiles = (dir: string) => readdirSync(dir).filter((n) => n.endsWith('.derived.db'))

describe('derived index files', () => {
  it('are deleted on request and built again on the next use', () => {
    const path = demoFile()
    const dir = join(tempDir(), 'search')
    const file = indexOf(path, dir)
    expect(deleteDerivedIndex(path, dir)).toBe(true)
    expect(existsSync(file)).toBe(false)
    expect(deleteDerivedIndex(path, dir)).toBe(false)
    expect(indexOf(path, dir)).toBe(file)
  })

  it('of histories gone or replaced are removed after a while; others are kept', () => {
    const dir = join(tempDir(), 'search')
    const { keptIndex, goneIndex, replacedIndex } = keptGoneReplaced(dir, indexOf)
    expect(pruneDerivedIndexes(dir)).toEqual([]) // not 30 days old yet
    expect(pruneDerivedIndexes(dir, 0).sort()).toEqual([goneIndex, replacedIndex].sort())
    expect(derivedFiles(dir)).toEqual([keptIndex.slice(dir.length + 1)])
    expect(pruneDerivedIndexes(join(dir, 'missing'), 0)).toEqual([])
  })
})

function searchIndexOf(path: string, dir: string): string {
  const index = new SearchIndex(path, dir)
  while (!index.step(1000));
  index.close()
  return searchIndexPath(path, dir)
}

const searchFiles = (dir: string) => readdirSync(dir).filter((n) => n.endsWith('.search.db'))

describe('search index files', () => {
  it('are sized without being opened, and deleted on request', () => {
    const path = demoFile()
    const dir = join(tempDir(), 'search')
    expect(searchIndexBytes(path, dir)).toBe(0)
    const file = searchIndexOf(path, dir)
    expect(searchIndexBytes(path, dir)).toBeGreaterThan(0)
    expect(deleteSearchIndex(path, dir)).toBe(true)
    expect(existsSync(file)).toBe(false)
    expect(deleteSearchIndex(path, dir)).toBe(false)
    expect(searchIndexBytes(path, dir)).toBe(0)
  })

  it('of histories gone or replaced are removed after a while, as derived ones are; others are kept', () => {
    const dir = join(tempDir(), 'search')
    let goneDerived = ''
    const { keptIndex, goneIndex, replacedIndex } = keptGoneReplaced(dir, searchIndexOf, (gone) => {
      goneDerived = indexOf(gone, dir)
    })
    expect(pruneSearchIndexes(dir)).toEqual([]) // not 30 days old yet
    expect(pruneSearchIndexes(dir, 0).sort()).toEqual([goneIndex, replacedIndex].sort())
    expect(searchFiles(dir)).toEqual([keptIndex.slice(dir.length + 1)])
    // Each kind prunes its own files only.
    expect(existsSync(goneDerived)).toBe(true)
    expect(pruneDerivedIndexes(dir, 0)).toEqual([goneDerived])
    expect(searchFiles(dir)).toEqual([keptIndex.slice(dir.length + 1)])
  })
})
