// A second writer on the same file, as when the chat app runs while the viewer writes.
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { setImmediate as nextTick } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { ChatRepository } from '../../../src/main/db/repository'
import { tempDir } from '../../helpers/files'
import { pythonAsync } from '../../helpers/python'

function createHistory(): string {
  const path = join(tempDir(), 'chat_history.db')
  ChatRepository.open(path, { mode: 'create' }).close()
  return path
}

/** The seed's add_event made atomic (BEGIN IMMEDIATE), with Python's default 5 s busy timeout. */
const PYTHON_WRITER = `
import sqlite3, sys, time, uuid, json
path, conv, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
slowest = 0.0
errors = []
for i in range(count):
    started = time.monotonic()
    try:
        c = sqlite3.connect(path, isolation_level=None)
        c.execute("BEGIN IMMEDIATE")
        seq = c.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM chat_events WHERE conversation_id = ?", (conv,)).fetchone()[0]
        c.execute("INSERT INTO chat_events (id, conversation_id, seq, schema_version, type, role, content, created_at, created_at_unix, extra) VALUES (?, ?, ?, 1, 'user_message', 'user', ?, '2026-01-01T00:00:00.000000+00:00', 1767225600, ?)",
                  (str(uuid.uuid4()), conv, seq, "python %d" % i, json.dumps({"request_id": "py%d" % i})))
        c.execute("COMMIT")
        c.close()
    except sqlite3.OperationalError as e:
        errors.append(str(e))
    slowest = max(slowest, time.monotonic() - started)
print(json.dumps({"errors": errors, "slowest_ms": slowest * 1000}))
`

describe('two writers at once', () => {
  it('a Python process and this repository: no duplicate seq, no lost row, no "database is locked" for Python', async () => {
    const path = createHistory()
    const writer = ChatRepository.open(path, { mode: 'write' })
    const reader = ChatRepository.open(path)
    let done = false
    const python = pythonAsync(PYTHON_WRITER, path, 'shared', '400').then((r) => ((done = true), r))
    let ours = 0
    let after = 0
    while (!done || after++ < 5) {
      writer.addEvent({ conversation_id: 'shared', type: 'assistant_message', content: `node ${ours}` })
      ours++
      reader.listConversationPage(10)
      reader.getEventPage('shared', { limit: 20, contentChars: 100 })
      await nextTick()
    }
    const result = await python
    expect(result.code).toBe(0)
    const report = JSON.parse(result.stdout) as { errors: string[]; slowest_ms: number }
    expect(report.errors).toEqual([])
    const seqs = writer.getEvents('shared').map((e) => e.seq)
    expect(seqs).toHaveLength(400 + ours)
    expect(seqs).toEqual(Array.from({ length: 400 + ours }, (_, i) => i + 1))
    // We wrote before Python's first row and after its last (SQLite's busy wait may let a writer that
    // reconnects at once keep the lock for a while, so the rows need not alternate).
    const authors = writer.getEvents('shared').map((e) => String(e.content).split(' ')[0])
    expect([authors[0], authors.at(-1)]).toEqual(['node', 'node'])
    writer.close()
    reader.close()
  })

  it('two processes of ours: one seq each, one row per request id', async () => {
    const path = createHistory()
    const script = fileURLToPath(new URL('../../helpers/repo-writer.ts', import.meta.url))
    const child = spawn(process.execPath, ['--import', 'tsx', script, path, 'shared', '300'])
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve))
    const repo = ChatRepository.open(path, { mode: 'write' })
    let added = 0
    for (let i = 0; i < 300; i++) {
      const stored = repo.addEvent({
        conversation_id: 'shared',
        type: 'user_message',
        content: `parent ${i}`,
        extra: { request_id: `r${i}` },
      })
      if (stored) added++
      await nextTick()
    }
    expect(await exited).toBe(0)
    const childAdded = (JSON.parse(out) as { added: number }).added
    const events = repo.getEvents('shared')
    expect(added + childAdded).toBe(300)
    expect(new Set(events.map((e) => e.extra.request_id)).size).toBe(300)
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1))
    repo.close()
  })

  it('the seed`s own add_event never meets "database is locked" while we write', async () => {
    const path = createHistory()
    const events = Array.from({ length: 150 }, (_, i) => ({
      conversation_id: `py${i % 5}`,
      type: 'user_message',
      content: `seed ${i}`,
    }))
    const seedScript = fileURLToPath(new URL('../../seed/run_seed.py', import.meta.url))
    const child = spawn('python3', [seedScript, 'add', path])
    child.stdin.end(JSON.stringify(events))
    let stderr = ''
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    let done = false
    const exited = new Promise<number | null>((resolve) =>
      child.on('close', (code) => ((done = true), resolve(code))),
    )
    const repo = ChatRepository.open(path, { mode: 'write' })
    let ours = 0
    while (!done) {
      repo.addEvents(
        Array.from({ length: 20 }, () => ({ conversation_id: 'ours', type: 'meta', content: 'x' })),
      )
      ours += 20
      await nextTick()
    }
    expect(await exited).toBe(0)
    expect(stderr).toBe('')
    const count = repo.db.prepare('SELECT count(*) FROM chat_events').pluck().get()
    expect(count).toBe(150 + ours)
    repo.close()
  })
})
