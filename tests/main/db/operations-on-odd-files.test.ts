// Cleanup on the files users actually have: an old schema, malformed JSON cells, a 50 MB message.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { journalPath, listEntries, openJournal } from '../../../src/main/db/journal'
import { ChatRepository } from '../../../src/main/db/repository'
import { sha256, tempDir } from '../../helpers/files'
import { python } from '../../helpers/python'
import { ADD_REQUEST_ID_AFTERWARDS, seedTableSql } from '../../helpers/seed-table'

describe('cleanup on odd files', () => {
  it('an old-schema file: migrated as the seed does right before the first change, never by opening it', () => {
    const path = join(tempDir(), 'old.db')
    python(
      `import sqlite3,sys,json
c=sqlite3.connect(sys.argv[1])
c.execute("""${seedTableSql({ createdAtUnix: false })}""")
for i, text in enumerate(["Hel", "lo"]):
    c.execute("INSERT INTO chat_events (id, conversation_id, seq, schema_version, type, content, created_at, extra) VALUES (?, 'a', ?, 1, 'meta', ?, '2025-01-01 10:00:00', ?)",
              ("d%d" % i, i + 1, text, json.dumps({"kind": "assistant_delta", "user_request_id": "r1"})))
c.commit()`,
      path,
    )
    const reading = ChatRepository.open(path)
    expect(reading.planCompaction(null, 1).replies).toMatchObject([{ preview: 'Hello' }])
    reading.close()
    const before = sha256(path)
    const repo = ChatRepository.open(path, { mode: 'write' })
    expect(repo.schema.hasCreatedAtUnix).toBe(false)
    expect(sha256(path)).toBe(before)
    const data = tempDir()
    const done = repo.compact(repo.planCompaction(null, 1), { dataDir: data })
    expect(done).toMatchObject({ compacted: 1, migrated: true })
    expect(repo.schema.hasCreatedAtUnix).toBe(true)
    expect(repo.getEvents('a').map((e) => e.content)).toEqual(['Hello'])
    expect(repo.undo(done.entryId!, { dataDir: data })).toMatchObject({ rowsRestored: 2, skipped: [] })
    const unix = repo.db
      .prepare("SELECT created_at_unix FROM chat_events WHERE conversation_id = 'a'")
      .pluck()
      .all()
    expect(unix).toEqual([1735725600, 1735725600])
  })

  it('malformed JSON in extra: plans read it, writing is refused with a reason, the file unchanged', () => {
    const path = join(tempDir(), 'bad.db')
    python(
      `import sqlite3,sys
c=sqlite3.connect(sys.argv[1])
c.execute("""${seedTableSql({ requestId: false })}""")
c.execute("""INSERT INTO chat_events (id, conversation_id, seq, schema_version, type, content, created_at, created_at_unix, extra)
 VALUES ('d1', 'a', 1, 1, 'meta', 'x', '2025-01-01T00:00:00+00:00', 1735689600, '{"kind": "assistant_delta", "user_request_id": "r1"}'),
        ('d2', 'a', 2, 1, 'meta', 'y', '2025-01-01T00:00:00+00:00', 1735689600, '{broken')""")
c.commit()
${ADD_REQUEST_ID_AFTERWARDS}`,
      path,
    )
    const before = sha256(path)
    const repo = ChatRepository.open(path)
    expect(repo.planCompaction(null, 1).replies).toMatchObject([{ user_request_id: 'r1', chunks: 1 }])
    expect(repo.planDeletion(['a']).conversations).toMatchObject([{ rows: 2 }])
    repo.close()
    const writing = ChatRepository.open(path, { mode: 'write' })
    const data = tempDir()
    expect(() => writing.deleteConversations(writing.planDeletion(['a']), { dataDir: data })).toThrow(
      /extra is not valid JSON.*it can be read, not written/,
    )
    writing.close()
    expect(sha256(path)).toBe(before)
    // Nothing happened, so nothing is listed to undo.
    const { db } = openJournal(journalPath(data, path))
    expect(listEntries(db)).toEqual([])
    db.close()
  })

  it('a 50 MB message: delete and undo keep every byte', () => {
    const data = tempDir()
    const repo = ChatRepository.open(join(tempDir(), 'big.db'), { mode: 'create' })
    const huge = `${'q'.repeat(25 * 1024 * 1024)}${'é'.repeat(12 * 1024 * 1024)}`
    repo.addEvent({ conversation_id: 'big', type: 'user_message', content: huge })
    const digest = () =>
      repo.db
        .prepare(
          "SELECT length(CAST(content AS BLOB)), substr(content, -3) FROM chat_events WHERE conversation_id = 'big'",
        )
        .raw()
        .get()
    const original = digest()
    const plan = repo.planDeletion(['big'])
    expect(plan.conversations[0]!.bytes).toBeGreaterThanOrEqual(49 * 1024 * 1024)
    const { entryId } = repo.deleteConversations(plan, { dataDir: data })
    expect(digest()).toBeUndefined()
    repo.undo(entryId!, { dataDir: data })
    expect(digest()).toEqual(original)
    expect(repo.getEvents('big')[0]!.content).toBe(huge)
  })

  it('VACUUM gives free pages back and says how much', () => {
    const repo = ChatRepository.open(join(tempDir(), 'v.db'), { mode: 'create' })
    repo.addEvents(
      Array.from({ length: 200 }, (_, i) => ({
        conversation_id: `c${i % 4}`,
        type: 'meta',
        content: 'w'.repeat(4000),
      })),
    )
    const data = tempDir()
    repo.deleteConversations(repo.planDeletion(['c0', 'c1', 'c2']), { dataDir: data })
    repo.db.pragma('wal_checkpoint(TRUNCATE)')
    const { fileBytes, freeBytes } = repo.freeSpace()
    expect(freeBytes).toBeGreaterThan(400_000)
    const done = repo.vacuum(data)
    expect(done.backup.path).toMatch(/\.vacuum\.backup\.db$/)
    expect(done.bytesBefore).toBe(fileBytes)
    expect(done.bytesAfter).toBeLessThan(fileBytes - 400_000)
    expect(repo.getEvents('c3')).toHaveLength(50)
    const reading = ChatRepository.open(repo.path)
    expect(() => reading.vacuum(data)).toThrow(/read-only; nothing was changed/)
  })
})
