import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DbError } from '../../../src/main/db/errors'
import { ChatRepository } from '../../../src/main/db/repository'
import { sha256, tempDir } from '../../helpers/files'
import { python, pythonAsync } from '../../helpers/python'

/** A small chat history written by the repository, closed and checkpointed (no -wal left). */
function sampleHistory(dir: string, name = 'chat_history.db'): string {
  const path = join(dir, name)
  const repo = ChatRepository.open(path, { mode: 'create' })
  repo.addEvents(
    Array.from({ length: 300 }, (_, i) => ({
      conversation_id: `c${i % 3}`,
      type: 'user_message',
      content: `message ${i} ${'x'.repeat(200)}`,
    })),
  )
  repo.close()
  return path
}

function openError(path: string, options = {}): DbError {
  try {
    ChatRepository.open(path, options).close()
  } catch (error) {
    if (error instanceof DbError) return error
    throw error
  }
  throw new Error(`${path} opened without an error`)
}

/** Opening fails with `code`, and the file is byte-for-byte what it was. */
function expectRefused(path: string, code: DbError['code'], message: RegExp): void {
  const before = existsSync(path) && statSync(path).isFile() ? sha256(path) : undefined
  for (const mode of ['read', 'write'] as const) {
    const error = openError(path, { mode })
    expect(error.code).toBe(code)
    expect(error.message).toMatch(message)
    if (before !== undefined) expect(sha256(path)).toBe(before)
  }
}

describe('opening bad files', () => {
  it('a missing path', () => {
    const path = join(tempDir(), 'nope.db')
    expectRefused(path, 'not_found', /does not exist/)
    expect(existsSync(path)).toBe(false)
  })

  it('a folder', () => {
    const dir = join(tempDir(), 'folder.db')
    mkdirSync(dir)
    expectRefused(dir, 'not_a_file', /is not a file/)
  })

  it('an empty (0-byte) file', () => {
    const path = join(tempDir(), 'empty.db')
    writeFileSync(path, '')
    expectRefused(path, 'empty_file', /empty \(0 bytes\)/)
    expect(statSync(path).size).toBe(0)
  })

  it('a file that is not a database', () => {
    const path = join(tempDir(), 'notes.db')
    writeFileSync(path, 'These are my notes, not a database.\n'.repeat(100))
    expectRefused(path, 'not_a_database', /not an SQLite database/)
  })

  it('a truncated database', () => {
    const path = sampleHistory(tempDir())
    truncateSync(path, Math.floor(statSync(path).size / 2))
    expectRefused(path, 'damaged', /is damaged/)
  })

  it('a database whose pages were overwritten: typed error when reading, file unchanged', () => {
    const path = sampleHistory(tempDir())
    const bytes = readFileSync(path)
    const pageSize = bytes.readUInt16BE(16)
    bytes.fill(0x5a, pageSize * 2, bytes.length) // every page after the second
    writeFileSync(path, bytes)
    const before = sha256(path)
    let error: unknown
    try {
      const repo = ChatRepository.open(path)
      repo.listConversations()
      repo.getEvents('c1')
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(DbError)
    expect((error as DbError).code).toBe('damaged')
    expect(sha256(path)).toBe(before)
  })

  it('an SQLite database without chat_events', () => {
    const path = join(tempDir(), 'other.db')
    python(
      'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute("create table notes(t)"); c.commit()',
      path,
    )
    expectRefused(path, 'no_chat_events', /no chat_events table/)
  })

  it('a chat_events table missing required columns', () => {
    const path = join(tempDir(), 'partial.db')
    python(
      'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute("create table chat_events(id, conversation_id, seq, content)"); c.commit()',
      path,
    )
    expectRefused(path, 'missing_columns', /without the columns schema_version, type, role/)
  })

  it('a file another program holds an exclusive lock on: locked, after the busy timeout', async () => {
    const path = join(tempDir(), 'locked.db')
    python(
      `import sqlite3,sys
c=sqlite3.connect(sys.argv[1]); c.execute("pragma journal_mode=delete")
c.execute("create table chat_events(id, conversation_id, seq, schema_version, type, role, content, tool_calls, provider, model, stop_reason, created_at, extra, raw, request_id)")
c.commit()`,
      path,
    )
    const before = sha256(path)
    const holder = pythonAsync(
      `import sqlite3,sys,time
c=sqlite3.connect(sys.argv[1], isolation_level=None); c.execute("begin exclusive"); print("locked", flush=True); time.sleep(3); c.execute("rollback")`,
      path,
    )
    await new Promise((r) => setTimeout(r, 800))
    const error = openError(path, { busyTimeoutMs: 200 })
    expect(error.code).toBe('locked')
    expect(error.message).toMatch(
      /is busy: another program \(the chat app\?\) is writing to it. Nothing was changed/,
    )
    expect((await holder).code).toBe(0)
    expect(sha256(path)).toBe(before)
  })
})

describe('read-only by default', () => {
  it('never writes: adding refuses with read_only and the file is unchanged', () => {
    const path = sampleHistory(tempDir())
    const before = sha256(path)
    const repo = ChatRepository.open(path)
    expect(repo.readOnly).toBe(true)
    expect(() => repo.addEvent({ conversation_id: 'c1', type: 'user_message', content: 'x' })).toThrow(
      expect.objectContaining({ code: 'read_only' }),
    )
    expect(() => repo.clearAll()).toThrow(expect.objectContaining({ code: 'read_only' }))
    repo.close()
    expect(sha256(path)).toBe(before)
  })

  it('does not create a file that is missing, while create mode makes a history with the seed`s schema', () => {
    const path = join(tempDir(), 'new.db')
    expect(() => ChatRepository.open(path, { mode: 'write' })).toThrow(
      expect.objectContaining({ code: 'not_found' }),
    )
    const repo = ChatRepository.open(path, { mode: 'create' })
    expect(repo.schema.indexes).toEqual([
      'idx_conversation',
      'idx_conversation_seq',
      'idx_created',
      'idx_created_unix',
      'idx_request_id',
      'sqlite_autoindex_chat_events_1',
    ])
    expect(repo.db.pragma('journal_mode', { simple: true })).toBe('wal')
    repo.close()
  })
})

describe('a file replaced on disk', () => {
  it('refuses to write to a file renamed over the one it opened; neither file changes', () => {
    const dir = tempDir()
    const path = sampleHistory(dir)
    const other = sampleHistory(dir, 'other.db')
    const repo = ChatRepository.open(path, { mode: 'write' })
    const replacement = join(dir, 'replacement.db')
    copyFileSync(other, replacement)
    renameSync(replacement, path)
    const before = sha256(path)
    expect(() => repo.addEvent({ conversation_id: 'c1', type: 'user_message', content: 'x' })).toThrow(
      expect.objectContaining({ code: 'file_replaced' }),
    )
    repo.close()
    expect(sha256(path)).toBe(before)
    expect(sha256(other)).toBe(sha256(path))
  })

  it('refuses to write once the file is deleted', () => {
    const path = sampleHistory(tempDir())
    const repo = ChatRepository.open(path, { mode: 'write' })
    renameSync(path, `${path}.moved`)
    expect(() => repo.clearAll()).toThrow(/replaced or deleted/)
    repo.close()
  })
})
