import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ChatRepository } from '../../../src/main/db/repository'
import { listSnapshots, pruneSnapshots, writeUndoRecord } from '../../../src/main/db/snapshot'
import { demoFile } from '../../helpers/demo'
import { tempDir } from '../../helpers/files'

const count = (repo: ChatRepository, conversation?: string) =>
  repo.db
    .prepare(
      conversation
        ? 'SELECT count(*) FROM chat_events WHERE conversation_id = ?'
        : 'SELECT count(*) FROM chat_events',
    )
    .pluck()
    .get(...(conversation ? [conversation] : [])) as number

describe('deleting conversations', () => {
  it('plans what it would remove without changing anything, then removes just that', () => {
    const repo = ChatRepository.open(demoFile(), { mode: 'write' })
    const total = count(repo)
    const plan = repo.planDeletion(['demo-weather-paris', 'demo-multimodal', 'no-such'])
    expect(plan).toMatchObject({
      all: false,
      rows: 7,
      conversations: [
        { conversation_id: 'demo-multimodal', rows: 2 },
        { conversation_id: 'demo-weather-paris', rows: 5 },
      ],
    })
    expect(plan.bytes).toBeGreaterThan(300)
    expect(count(repo)).toBe(total)
    expect(repo.applyDeletion(plan)).toEqual({ conversations: 2, rowsRemoved: 7, rowsKept: 0 })
    expect(repo.listConversations()).not.toContain('demo-weather-paris')
    expect(count(repo)).toBe(total - 7)
  })

  it('keeps rows written after the plan', () => {
    const repo = ChatRepository.open(demoFile(), { mode: 'write' })
    const plan = repo.planDeletion(['demo-multimodal'])
    repo.addEvent({ conversation_id: 'demo-multimodal', type: 'user_message', content: 'arrived later' })
    expect(repo.applyDeletion(plan)).toMatchObject({ rowsRemoved: 2, rowsKept: 1 })
    expect(repo.getEvents('demo-multimodal').map((e) => e.content)).toEqual(['arrived later'])
  })

  it('clears everything, as the seed`s handle_clear_session', () => {
    const repo = ChatRepository.open(demoFile(), { mode: 'write' })
    const plan = repo.planDeletion(null)
    expect(plan.all).toBe(true)
    expect(plan.conversations).toHaveLength(7)
    repo.applyDeletion(plan)
    expect(count(repo)).toBe(0)
  })
})

describe('undo from a snapshot', () => {
  it('puts back what a compaction removed and removes what it added, keeping later writes', () => {
    const dir = join(tempDir(), 'snapshots')
    const repo = ChatRepository.open(demoFile(), { mode: 'write' })
    const before = repo.getEvents('demo-stream-pending')
    const { snapshot } = repo.compactWithSnapshot(repo.planCompaction('demo-stream-pending', 0), false, {
      dir,
    })
    if (!snapshot) throw new Error('no snapshot taken')
    repo.addEvent({ conversation_id: 'demo-stream-pending', type: 'user_message', content: 'written after' })
    // The row written after took seq 3, which a restored chunk had: reported, nothing lost.
    expect(repo.undo(snapshot.path)).toEqual({ rowsRestored: 5, rowsRemoved: 1, seqClashes: 1 })
    const after = repo.getEvents('demo-stream-pending')
    expect(after.filter((e) => e.content !== 'written after')).toEqual(before)
    expect(after.map((e) => e.content)).toContain('written after')
    expect(repo.undo(snapshot.path)).toEqual({ rowsRestored: 0, rowsRemoved: 0, seqClashes: 1 })
  })

  it('puts back deleted conversations byte for byte, including text that is not UTF-8', () => {
    const dir = join(tempDir(), 'snapshots')
    const repo = ChatRepository.open(demoFile(), { mode: 'write' })
    repo.db
      .exec(`INSERT INTO chat_events (id, conversation_id, seq, schema_version, type, content, created_at, created_at_unix)
      VALUES ('raw1', 'bytes', 1, 1, 'meta', CAST(x'41ff42' AS TEXT), '2026-01-01T00:00:00+00:00', 1767225600)`)
    const hex = () =>
      repo.db.prepare("SELECT hex(CAST(content AS BLOB)) FROM chat_events WHERE id = 'raw1'").pluck().get()
    const { snapshot } = repo.deleteWithSnapshot(repo.planDeletion(['bytes', 'demo-sql-help']), { dir })
    if (!snapshot) throw new Error('no snapshot taken')
    expect(hex()).toBeUndefined()
    expect(repo.undo(snapshot.path)).toEqual({ rowsRestored: 13, rowsRemoved: 0, seqClashes: 0 })
    expect(hex()).toBe('41FF42')
    expect(repo.getEvents('demo-sql-help')).toHaveLength(12)
  })

  it('lists a file`s snapshots newest first and keeps only the newest', () => {
    const dir = join(tempDir(), 'snapshots')
    const repo = ChatRepository.open(demoFile(), { mode: 'write' })
    const other = ChatRepository.open(demoFile(), { mode: 'write' })
    for (let i = 0; i < 4; i++) {
      const s = repo.snapshot(dir, 'compact')
      writeUndoRecord(s, {
        operation: 'compact',
        source: repo.path,
        created_at: `2026-01-0${i + 1}T00:00:00Z`,
        conversations: [],
        createdIds: [],
      })
    }
    const o = other.snapshot(dir, 'delete')
    writeUndoRecord(o, {
      operation: 'delete',
      source: other.path,
      created_at: '2026-01-09T00:00:00Z',
      conversations: [],
      createdIds: [],
    })
    expect(listSnapshots(dir, repo.path).map((s) => s.created_at)).toEqual([
      '2026-01-04T00:00:00Z',
      '2026-01-03T00:00:00Z',
      '2026-01-02T00:00:00Z',
      '2026-01-01T00:00:00Z',
    ])
    pruneSnapshots(dir, repo.path, 2)
    expect(listSnapshots(dir, repo.path)).toHaveLength(2)
    expect(listSnapshots(dir, other.path)).toHaveLength(1)
  })
})
