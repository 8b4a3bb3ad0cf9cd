import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { FileRegistry } from '../../../src/main/api/file-registry'
import { describe, expect, it } from 'vitest'
import { ChatRepository } from '../../../src/main/db/repository'
import { storageStats } from '../../../src/main/db/storage'
import { DerivedIndex } from '../../../src/main/index/derived-index'
import { DerivedService } from '../../../src/main/index/derived-service'
import { statsFromIndex } from '../../../src/main/index/index-stats'
import type { StorageStats } from '../../../src/shared/api'
import { demoFile } from '../../helpers/demo'
import { tempDir } from '../../helpers/files'
import { ODD_ROWS, oddRowFile } from '../../helpers/odd-rows'

/**
 * The whole file's answer, with conversations merged by their id as text: the index keeps a
 * conversation_id stored as a BLOB or a number under its text, as the list shows it (the whole-file
 * GROUP BY keeps the BLOB 'odd' apart from the text 'odd').
 */
function fromFile(path: string): StorageStats {
  const repo = ChatRepository.open(path)
  const stats = storageStats(repo)
  repo.close()
  const merged = new Map<string, StorageStats['largest'][number]>()
  for (const c of stats.largest) {
    const seen = merged.get(c.conversation_id)
    merged.set(
      c.conversation_id,
      seen ? { ...c, events: seen.events + c.events, bytes: seen.bytes + c.bytes } : c,
    )
  }
  const largest = [...merged.values()].sort(
    (a, b) => b.bytes - a.bytes || (a.conversation_id < b.conversation_id ? -1 : 1),
  )
  return { ...stats, largest }
}

function fromIndex(index: DerivedIndex, path: string): StorageStats {
  index.noticeChanges()
  index.buildAll()
  const repo = ChatRepository.open(path)
  const stats = statsFromIndex(index.db, repo.freeSpace())
  repo.close()
  return stats
}

const deltas = (conversation_id: string, urid: string, n: number) =>
  Array.from({ length: n }, (_, i) => ({
    conversation_id,
    type: 'meta',
    content: `chunk ${i} of ${urid} `,
    extra: { kind: 'assistant_delta', user_request_id: urid },
  }))

describe('storage stats from the derived index', () => {
  it('are the whole file`s: built, then after rows added, compacted, deleted and replaced', () => {
    const path = demoFile()
    const index = new DerivedIndex(path, join(tempDir(), 'search'))
    expect(fromIndex(index, path)).toEqual(fromFile(path))
    expect(fromFile(path).compaction).toEqual({ replies: 1, chunks: 5, bytes: 41 })

    const writer = ChatRepository.open(path, { mode: 'write' })
    // New pending replies in a new conversation and in a summarized one (added to its totals).
    writer.addEvents([...deltas('streaming', 'r1', 30), ...deltas('demo-weather-paris', 'r2', 4)])
    writer.addEvent({ conversation_id: 'big', type: 'tool_result', content: 'x'.repeat(50_000) })
    const grown = fromIndex(index, path)
    expect(grown).toEqual(fromFile(path))
    expect(grown.compaction).toMatchObject({ replies: 3, chunks: 39 })
    expect(grown.largest[0]).toMatchObject({ conversation_id: 'big', events: 1 })

    // Compaction deletes chunks in the middle of the file and adds the reply at the end.
    const plan = writer.planCompaction('streaming', 0)
    writer.compact(plan, { dataDir: join(tempDir(), 'data') })
    const compacted = fromIndex(index, path)
    expect(compacted).toEqual(fromFile(path))
    expect(compacted.compaction).toMatchObject({ replies: 2, chunks: 9 })
    // A deleted conversation, and a rowid reused after the last rows were deleted.
    writer.db.prepare("DELETE FROM chat_events WHERE conversation_id = 'demo-sql-help'").run()
    writer.db.prepare("DELETE FROM chat_events WHERE conversation_id = 'big'").run()
    writer.addEvent({ conversation_id: 'after', type: 'user_message', content: 'reused rowid' })
    writer.close()
    const after = fromIndex(index, path)
    expect(after).toEqual(fromFile(path))
    expect(after.largest.map((c) => c.conversation_id)).not.toContain('demo-sql-help')
    index.close()
  })

  it('order types and conversations by their total bytes, largest first', () => {
    const path = demoFile()
    const index = new DerivedIndex(path, join(tempDir(), 'search'))
    const total = (t: StorageStats['byType'][number]) => t.content + t.extra + t.raw + t.tool_calls
    // The whole file's too: its ORDER BY added one row's cells instead of the sums.
    for (const stats of [fromIndex(index, path), fromFile(path)]) {
      expect(stats.byType.map(total)).toEqual(stats.byType.map(total).sort((a, b) => b - a))
      expect(stats.largest.map((c) => c.bytes)).toEqual(
        stats.largest.map((c) => c.bytes).sort((a, b) => b - a),
      )
    }
    index.close()
  })
})

describe('the Storage panel`s stats (storage.stats)', () => {
  it('come from the index, brought current when asked, and are undefined when it cannot be kept', () => {
    const path = demoFile()
    const files = new FileRegistry('read')
    const { fileId } = files.add(path)
    const space = { fileBytes: 1, freeBytes: 0 }
    const service = new DerivedService(files, join(tempDir(), 'search'))
    const expected = () => ({ ...fromFile(path), ...space })
    expect(service.storageStats(fileId, space)).toEqual(expected())
    const writer = ChatRepository.open(path, { mode: 'write' })
    writer.addEvents(deltas('streaming', 'r1', 30))
    writer.close()
    expect(service.storageStats(fileId, space)).toEqual(expected())
    expect(service.storageStats('no-such-file', space)).toBeUndefined()
    service.closeAll()

    const notAFolder = join(tempDir(), 'file')
    writeFileSync(notAFolder, '')
    const broken = new DerivedService(files, join(notAFolder, 'search'))
    const logged: unknown[] = []
    const error = console.error
    console.error = (...args: unknown[]) => logged.push(args)
    try {
      expect(broken.storageStats(fileId, space)).toBeUndefined()
    } finally {
      console.error = error
    }
    expect(String(logged[0])).toMatch(/storage stats from the derived index/)
  })
})

describe.each(ODD_ROWS.map((o) => [o.kind, o] as const))(
  'storage stats with an odd row (%s)',
  (_kind, odd) => {
    it('are the whole file`s', () => {
      const path = oddRowFile(odd)
      const index = new DerivedIndex(path, join(tempDir(), 'search'))
      expect(fromIndex(index, path)).toEqual(fromFile(path))
      index.close()
    })
  },
)
