import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { contract, type Channel } from '../../../src/shared/api'
import { FileRegistry } from '../../../src/main/api/file-registry'
import { createHandlers, type Handlers } from '../../../src/main/api/handlers'
import { demoFile } from '../../helpers/demo'
import { leakyHistory } from '../../helpers/secrets'
import { sha256, tempDir } from '../../helpers/files'
import { python } from '../../helpers/python'
import { seedTableSql } from '../../helpers/seed-table'

function setUp(mode: 'read' | 'write' = 'read') {
  const files = new FileRegistry(mode)
  const ref = files.add(demoFile())
  const dataDir = tempDir()
  const handlers = createHandlers(files, {
    dataDir,
    searchDir: join(tempDir(), 'search'),
  })
  /** Calls a handler with input parsed by the contract, and checks the output against its schema. */
  const call = <C extends Channel>(channel: C, input: unknown) => {
    const output = (handlers[channel] as (i: unknown) => unknown)(contract[channel].input.parse(input))
    return contract[channel].output.parse(output) as ReturnType<Handlers[C]>
  }
  return { files, fileId: ref.fileId, call, dataDir }
}

describe('handlers over a real file', () => {
  it('files.list and files.info describe the open file', () => {
    const { fileId, call } = setUp()
    expect(call('files.list', {})).toEqual([expect.objectContaining({ fileId, name: 'chat_history.db' })])
    expect(call('files.info', { fileId })).toMatchObject({
      ok: true,
      value: {
        readOnly: true,
        journalMode: 'wal',
        walBytes: 0,
        schema: { hasCreatedAtUnix: true },
        size: expect.any(Number),
      },
    })
  })

  it('conversations.list pages by recency; conversations.stats gives models and pending deltas', () => {
    const { fileId, call } = setUp()
    const first = call('conversations.list', { fileId, limit: 4 })
    if (!first.ok) throw new Error(first.message)
    expect(first.value.conversations).toHaveLength(4)
    const second = call('conversations.list', { fileId, limit: 4, cursor: first.value.next })
    if (!second.ok) throw new Error(second.message)
    expect(second.value.conversations).toHaveLength(3)
    expect(second.value.next).toBeNull()
    const stats = call('conversations.stats', {
      fileId,
      conversationIds: ['demo-stream-pending', 'demo-sql-help'],
    })
    expect(stats).toEqual({
      ok: true,
      value: [
        { conversation_id: 'demo-stream-pending', models: ['gpt-4o-mini'], pending_deltas: 5, problems: 1 },
        {
          conversation_id: 'demo-sql-help',
          models: expect.arrayContaining(['gpt-4o', 'gpt-4o-mini']),
          pending_deltas: 0,
          problems: 0,
        },
      ],
    })
  })

  it('events.page cuts content; events.get gives one event whole', () => {
    const { fileId, call } = setUp()
    const page = call('events.page', {
      fileId,
      conversationId: 'demo-weather-paris',
      limit: 10,
      contentChars: 10,
    })
    if (!page.ok) throw new Error(page.message)
    const last = page.value.events.at(-1)!
    expect(last).toMatchObject({ seq: 5, content_truncated: true, content: "It's **14." })
    const whole = call('events.get', { fileId, conversationId: 'demo-weather-paris', eventId: last.id })
    expect(whole).toMatchObject({ ok: true, value: { content: expect.stringContaining('take an umbrella') } })
  })

  it('model.view returns build_llm_conversation with the window it read', () => {
    const { fileId, call } = setUp()
    const view = call('model.view', {
      fileId,
      conversationId: 'demo-unicode-system',
      systemPrompt: 'S',
      userMessage: 'U',
    })
    expect(view).toMatchObject({ ok: true, value: { historyEvents: 3, visibleEvents: 3, limit: 50 } })
    // The seed reads the visible system update but only turns user, assistant and tool events into messages.
    if (view.ok)
      expect(view.value.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user'])
  })

  it('expected failures are values with a reason and a message', () => {
    const { files, fileId, call } = setUp()
    expect(call('files.info', { fileId: 'f999' })).toMatchObject({ ok: false, reason: 'unknown_file' })
    expect(
      call('events.get', { fileId, conversationId: 'demo-weather-paris', eventId: 'nope' }),
    ).toMatchObject({
      ok: false,
      reason: 'no_event',
    })
    expect(
      call('model.view', { fileId, conversationId: 'nope', systemPrompt: '', userMessage: '' }),
    ).toMatchObject({
      ok: false,
      reason: 'no_conversation',
    })
    const junk = join(tempDir(), 'junk.db')
    writeFileSync(junk, 'not a database at all'.repeat(50))
    const bad = files.add(junk)
    expect(call('conversations.list', { fileId: bad.fileId, limit: 10 })).toMatchObject({
      ok: false,
      reason: 'not_a_database',
      message: expect.stringContaining('is not an SQLite database'),
    })
  })

  it('cleanup.plan finds the pending reply; cleanup.apply refuses on a read-only file', () => {
    const { fileId, call } = setUp()
    const plan = call('cleanup.plan', { fileId, minAgeSeconds: 1 })
    if (!plan.ok) throw new Error(plan.message)
    expect(plan.value).toMatchObject({
      planId: expect.any(String),
      replies: 1,
      chunks: 5,
      groups: [
        {
          conversation_id: 'demo-stream-pending',
          user_request_id: 'req-p1',
          chunks: 5,
          preview: 'A prince avenges his father and everyone ',
        },
      ],
    })
    const { planId, replies, chunks } = plan.value
    expect(call('cleanup.apply', { fileId, planId, replies, chunks })).toMatchObject({
      ok: false,
      reason: 'read_only',
    })
  })

  it('cleanup.apply compacts, recorded in the undo journal, when the file is open for writing; undo.apply undoes it', () => {
    const { fileId, call } = setUp('write')
    const plan = call('cleanup.plan', { fileId, minAgeSeconds: 1 })
    if (!plan.ok) throw new Error(plan.message)
    const { planId, replies, chunks } = plan.value
    const applied = call('cleanup.apply', { fileId, planId, replies, chunks })
    expect(applied).toMatchObject({ ok: true, value: { compacted: 1, chunksRemoved: 5, entryId: 1 } })
    const after = call('conversations.stats', { fileId, conversationIds: ['demo-stream-pending'] })
    expect(after).toMatchObject({ ok: true, value: [{ pending_deltas: 0 }] })
    expect(call('undo.list', { fileId })).toMatchObject({
      ok: true,
      value: {
        entries: [{ id: 1, operation: 'compact', state: 'applied', rowsRemoved: 5, rowsAdded: 1 }],
        backups: [],
      },
    })
    expect(call('undo.apply', { fileId, entryId: 1 })).toMatchObject({
      ok: true,
      value: { rowsRestored: 5, rowsRemoved: 1 },
    })
    expect(call('undo.apply', { fileId, entryId: 9 })).toMatchObject({ ok: false, reason: 'not_found' })
  })

  it('applies only plans it issued, once, with the counts it issued them with', () => {
    const { fileId, call } = setUp('write')
    const plan = call('delete.plan', { fileId, conversationIds: ['demo-multimodal'] })
    if (!plan.ok) throw new Error(plan.message)
    const issued = { fileId, planId: plan.value.planId, all: false, conversations: 1, rows: 2 }
    // Hand-made or altered: refused, nothing changed.
    for (const forged of [
      { ...issued, planId: 'made-up' },
      { ...issued, rows: 2 ** 53 - 1 },
      { ...issued, all: true },
    ])
      expect(call('delete.apply', forged)).toMatchObject({ ok: false, reason: 'plan_expired' })
    // A refused apply used up the plan too: plan again.
    const again = call('delete.plan', { fileId, conversationIds: ['demo-multimodal'] })
    if (!again.ok) throw new Error(again.message)
    const apply = { ...issued, planId: again.value.planId }
    expect(call('delete.apply', apply)).toMatchObject({ ok: true, value: { rowsRemoved: 2, entryId: 1 } })
    expect(call('delete.apply', apply)).toMatchObject({ ok: false, reason: 'plan_expired' })
    expect(call('delete.plan', { fileId, conversationIds: ['nope'] })).toMatchObject({
      ok: false,
      reason: 'no_conversation',
      message: 'There is no conversation "nope" in this file; nothing was changed.',
    })
  })

  it('a file opened for writing (chv serve --write) is not migrated until the first real change', () => {
    const path = join(tempDir(), 'old.db')
    python(
      `import sqlite3,sys
c=sqlite3.connect(sys.argv[1])
c.execute("""${seedTableSql({ createdAtUnix: false })}""")
c.execute("INSERT INTO chat_events (id, conversation_id, seq, schema_version, type, content, created_at, extra) VALUES ('u1', 'a', 1, 1, 'user_message', 'hi', '2025-01-01 10:00:00', '{}')")
c.commit()`,
      path,
    )
    const before = sha256(path)
    const files = new FileRegistry('write')
    const { fileId } = files.add(path)
    const handlers = createHandlers(files, { dataDir: tempDir(), searchDir: join(tempDir(), 'search') })
    expect(handlers['files.info']({ fileId })).toMatchObject({ ok: true, value: { readOnly: false } })
    expect(
      handlers['conversations.list'](contract['conversations.list'].input.parse({ fileId, limit: 10 })),
    ).toMatchObject({ ok: true })
    files.closeAll()
    expect(sha256(path)).toBe(before)
  })

  it('after a redaction the search index no longer finds the secret (it is rebuilt without it)', async () => {
    const files = new FileRegistry('write')
    const { path, secrets } = leakyHistory()
    const { fileId } = files.add(path)
    const handlers = createHandlers(files, { dataDir: tempDir(), searchDir: join(tempDir(), 'search') })
    const token = secrets.find((s) => s.rule === 'github-token')!.secret
    const find = async () => {
      for (let i = 0; i < 200; i++) {
        const r = handlers['search.query'](contract['search.query'].input.parse({ fileId, text: token }))
        if (r.ok && r.value.status.state === 'ready') return r.value.hits.length
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
      throw new Error('the search index never got ready')
    }
    expect(await find()).toBeGreaterThan(0)
    const scan = handlers['privacy.scan'](contract['privacy.scan'].input.parse({ fileId }))
    if (!scan.ok) throw new Error(scan.message)
    const redacted = handlers['privacy.redact'](
      contract['privacy.redact'].input.parse({ fileId, scanId: scan.value.scanId, count: scan.value.total }),
    )
    expect(redacted).toMatchObject({ ok: true, value: { findingsRedacted: scan.value.total } })
    expect(await find()).toBe(0)
    files.closeAll()
  })

  it('a plan with nothing in it writes nothing anywhere, however often it is applied', () => {
    const { fileId, call, dataDir } = setUp('write')
    for (let i = 0; i < 30; i++) {
      const plan = call('cleanup.plan', { fileId, conversationId: 'demo-weather-paris' })
      if (!plan.ok) throw new Error(plan.message)
      expect(
        call('cleanup.apply', { fileId, planId: plan.value.planId, replies: 0, chunks: 0 }),
      ).toMatchObject({
        ok: true,
        value: { compacted: 0, entryId: null },
      })
    }
    expect(existsSync(join(dataDir, 'journal'))).toBe(false)
    expect(existsSync(join(dataDir, 'backups'))).toBe(false)
  })
})
