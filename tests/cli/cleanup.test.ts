// chv compact / rm / clear / snapshots / restore, and what happens when the process dies mid-way or
// the chat app keeps streaming into the conversation being compacted.
import { spawn, spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { ChatRepository } from '../../src/main/db/repository'
import { demoFile } from '../helpers/demo'
import { sha256, tempDir } from '../helpers/files'
import { pythonAsync } from '../helpers/python'

const CHV = fileURLToPath(new URL('../../out/cli/chv.js', import.meta.url))

function chv(dataDir: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [CHV, ...args], {
    encoding: 'utf8',
    env: { ...process.env, CHV_DATA_DIR: dataDir },
  })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

function integrity(path: string): string {
  const repo = ChatRepository.open(path)
  try {
    return repo.db.pragma('integrity_check', { simple: true }) as string
  } finally {
    repo.close()
  }
}

describe('chv cleanup commands', () => {
  it('compact --dry-run changes nothing; compact merges, with a snapshot restore can undo', () => {
    const data = tempDir()
    const db = demoFile()
    ChatRepository.open(db).close()
    const before = sha256(db)
    expect(chv(data, 'compact', db, '--dry-run')).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('req-p1  5 chunks, 41 B'),
    })
    expect(sha256(db)).toBe(before)
    expect(chv(data, 'compact', db).stdout).toMatch(
      /^Compacted 1 replies \(5 chunks\)\. Snapshot: .*compact\.snapshot\.db$/m,
    )
    expect(
      ChatRepository.open(db)
        .getEvents('demo-stream-pending')
        .map((e) => e.type),
    ).toEqual(['user_message', 'assistant_message'])
    const [snapshot] = JSON.parse(chv(data, 'snapshots', db, '--json').stdout) as { path: string }[]
    expect(chv(data, 'restore', db, snapshot!.path).stdout).toBe('Restored 5 events, removed 1.\n')
    expect(ChatRepository.open(db).getEvents('demo-stream-pending')).toHaveLength(6)
  })

  it('rm and clear need --yes, then delete with a snapshot', () => {
    const data = tempDir()
    const db = demoFile()
    expect(chv(data, 'rm', db, 'demo-multimodal')).toMatchObject({
      code: 1,
      stderr: 'chv: this would delete 2 events in 1 conversations: add --yes to do it\n',
    })
    expect(chv(data, 'rm', db, 'demo-multimodal', '--yes').stdout).toMatch(
      /^Deleted 2 events in 1 conversations\./,
    )
    expect(chv(data, 'clear', db)).toMatchObject({ code: 1 })
    expect(chv(data, 'clear', db, '--yes').stdout).toMatch(/^Deleted 31 events in 6 conversations\./)
    expect(ChatRepository.open(db).listConversations()).toEqual([])
    expect(
      JSON.parse(chv(data, 'snapshots', db, '--json').stdout).map((s: { operation: string }) => s.operation),
    ).toEqual(['clear', 'delete'])
  })

  it('refuses to write a read-only-opened file only through --dry-run, and reports bad files in one line', () => {
    const data = tempDir()
    expect(chv(data, 'compact', join(data, 'missing.db'))).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/does not exist\.\n$/),
    })
    expect(chv(data, 'restore', demoFile(), '/etc/passwd')).toMatchObject({
      code: 1,
      stderr: 'chv: That is not a snapshot of this file; nothing was changed.\n',
    })
  })
})

describe('chv vacuum', () => {
  it('says what it would give back and asks for --yes, then does it', () => {
    const data = tempDir()
    const db = demoFile()
    chv(data, 'clear', db, '--yes')
    expect(chv(data, 'vacuum', db)).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^chv: vacuum would give back \d+ bytes; .*stop the chat app.*--yes\n$/),
    })
    expect(chv(data, 'vacuum', db, '--yes').stdout).toMatch(/^Vacuumed: \d+ bytes before, \d+ after\.\n$/)
  })
})

describe('chv cleanup options', () => {
  it('--min-age decides what is still streaming; --keep how many snapshots stay', () => {
    const data = tempDir()
    const db = join(tempDir(), 'h.db')
    const repo = ChatRepository.open(db, { mode: 'create' })
    const tenMinutesAgo = new Date(Date.now() - 10 * 60_000)
    repo.addEvents(
      ['a', 'b'].flatMap((conversation) =>
        [1, 2].map((i) => ({
          conversation_id: conversation,
          type: 'meta',
          content: `${i}`,
          created_at: tenMinutesAgo,
          extra: { kind: 'assistant_delta', user_request_id: `r-${conversation}` },
        })),
      ),
    )
    repo.close()
    expect(chv(data, 'compact', db, 'a', '--min-age', '3600').stdout).toBe(
      'Compacted 0 replies (0 chunks), left 1 still streaming.\n',
    )
    expect(chv(data, 'compact', db, 'a', '--keep', '1').stdout).toMatch(/^Compacted 1 replies/)
    expect(chv(data, 'compact', db, 'b', '--keep', '1').stdout).toMatch(/^Compacted 1 replies/)
    expect(JSON.parse(chv(data, 'snapshots', db, '--json').stdout)).toHaveLength(1)
    expect(chv(data, 'compact', db, '--min-age', 'soon')).toMatchObject({
      code: 1,
      stderr: 'chv: --min-age takes a whole number, not "soon"\n',
    })
  })
})

/** Runs chv 20 times, each killed (SIGKILL) at a random moment, and checks the file after each. */
async function killAtRandomMoments(data: string, args: string[], check: () => void): Promise<void> {
  for (let round = 0; round < 20; round++) {
    const child = spawn(process.execPath, [CHV, ...args], { env: { ...process.env, CHV_DATA_DIR: data } })
    const closed = new Promise((r) => child.on('close', r))
    await new Promise((r) => setTimeout(r, 40 + Math.floor(Math.random() * 260)))
    child.kill('SIGKILL')
    await closed
    check()
  }
}

describe('compaction under stress', () => {
  /** 120 pending replies of 30 chunks each, as a crashed chat app leaves them. */
  function pendingFile(): string {
    const path = join(tempDir(), 'pending.db')
    const repo = ChatRepository.open(path, { mode: 'create' })
    const old = new Date(Date.UTC(2026, 0, 1))
    repo.addEvents(
      Array.from({ length: 120 * 30 }, (_, i) => ({
        conversation_id: `c${Math.floor(i / 30) % 40}`,
        type: 'meta',
        content: `chunk ${i % 30} `,
        created_at: old,
        extra: { kind: 'assistant_delta', user_request_id: `r${Math.floor(i / 30)}` },
      })),
    )
    repo.close()
    return path
  }

  it('killed at random moments, every reply is either whole chunks or one message; a rerun finishes; another is a no-op', async () => {
    const data = tempDir()
    const db = pendingFile()
    await killAtRandomMoments(data, ['compact', db], () => {
      expect(integrity(db)).toBe('ok')
      const repo = ChatRepository.open(db)
      for (let g = 0; g < 120; g++) {
        const conversation = `c${g % 40}`
        const chunks = repo.db
          .prepare(
            "SELECT count(*) FROM chat_events WHERE conversation_id = ? AND json_extract(extra, '$.user_request_id') = ? AND type = 'meta'",
          )
          .pluck()
          .get(conversation, `r${g}`)
        const replies = repo.getEventByRequestId(conversation, `assistant:r${g}`)
        expect(chunks === 30 ? replies : chunks === 0 ? replies?.content : 'partial').toBe(
          chunks === 30
            ? null
            : 'chunk 0 chunk 1 chunk 2 chunk 3 chunk 4 chunk 5 chunk 6 chunk 7 chunk 8 chunk 9 chunk 10 chunk 11 chunk 12 chunk 13 chunk 14 chunk 15 chunk 16 chunk 17 chunk 18 chunk 19 chunk 20 chunk 21 chunk 22 chunk 23 chunk 24 chunk 25 chunk 26 chunk 27 chunk 28 chunk 29 ',
        )
      }
      repo.close()
    })
    expect(chv(data, 'compact', db).code).toBe(0)
    expect(chv(data, 'compact', db).stdout).toBe('Compacted 0 replies (0 chunks).\n')
    expect(ChatRepository.open(db).planCompaction(null, 0).groups).toEqual([])
    expect(readdirSync(join(data, 'snapshots')).filter((n) => n.endsWith('.partial'))).toEqual([])
  })

  it('clear killed at random moments: each conversation whole or gone; a rerun finishes', async () => {
    const data = tempDir()
    const db = pendingFile()
    const counts = new Map(
      (
        ChatRepository.open(db)
          .db.prepare('SELECT conversation_id, count(*) AS n FROM chat_events GROUP BY conversation_id')
          .all() as {
          conversation_id: string
          n: number
        }[]
      ).map((r) => [r.conversation_id, r.n]),
    )
    await killAtRandomMoments(data, ['clear', db, '--yes'], () => {
      expect(integrity(db)).toBe('ok')
      const repo = ChatRepository.open(db)
      for (const [conversation, n] of counts) expect([0, n]).toContain(repo.getEvents(conversation).length)
      repo.close()
    })
    expect(chv(data, 'clear', db, '--yes').code).toBe(0)
    expect(ChatRepository.open(db).listConversations()).toEqual([])
    expect(chv(data, 'clear', db, '--yes').stdout).toBe('Deleted 0 events in 0 conversations.\n')
  })

  it('while the chat app streams into the same conversation: nothing lost, late chunks stay, no "database is locked"', async () => {
    const data = tempDir()
    const db = pendingFile()
    const streamer = pythonAsync(
      `import sqlite3, sys, time, uuid, json
errors = []
for i in range(300):
    try:
        c = sqlite3.connect(sys.argv[1])
        seq = c.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM chat_events WHERE conversation_id = 'c0'").fetchone()[0]
        c.execute("INSERT INTO chat_events (id, conversation_id, seq, schema_version, type, content, created_at, created_at_unix, extra) VALUES (?, 'c0', ?, 1, 'meta', ?, '2026-01-01T00:00:00+00:00', 1767225600, ?)",
                  (str(uuid.uuid4()), seq, "live %d " % i, json.dumps({"kind": "assistant_delta", "user_request_id": "live"})))
        c.commit()
        c.close()
    except sqlite3.OperationalError as e:
        errors.append(str(e))
    time.sleep(0.002)
print(json.dumps(errors))`,
      db,
    )
    await new Promise((r) => setTimeout(r, 100))
    const compact = () =>
      new Promise<string>((resolve) => {
        const child = spawn(process.execPath, [CHV, 'compact', db], {
          env: { ...process.env, CHV_DATA_DIR: data },
        })
        let out = ''
        child.stdout.on('data', (d: Buffer) => (out += d.toString()))
        child.stderr.on('data', (d: Buffer) => (out += d.toString()))
        child.on('close', () => resolve(out))
      })
    // On a loaded machine the streamer can keep the file busy past our wait: then we are told what was
    // done, and running again finishes.
    let compacted = await compact()
    for (let i = 0; i < 3 && /kept the file busy|is busy/.test(compacted); i++) compacted = await compact()
    const python = await streamer
    expect(python.code).toBe(0)
    expect(JSON.parse(python.stdout)).toEqual([])
    expect(compacted).toMatch(/^Compacted \d+ replies/)
    expect(
      ChatRepository.open(db)
        .planCompaction(null, 0)
        .groups.map((g) => g.user_request_id),
    ).toEqual(expect.not.arrayContaining(['r0', 'r119']))
    expect(integrity(db)).toBe('ok')
    const repo = ChatRepository.open(db)
    const live = repo.db
      .prepare(
        "SELECT content FROM chat_events WHERE conversation_id = 'c0' AND json_extract(extra, '$.user_request_id') = 'live' ORDER BY seq",
      )
      .pluck()
      .all() as string[]
    const merged = (repo.getEventByRequestId('c0', 'assistant:live')?.content as string | undefined) ?? ''
    // Every live chunk is somewhere: merged (if compaction saw it) or still pending.
    const all = merged + live.join('')
    for (let i = 0; i < 300; i++) expect(all).toContain(`live ${i} `)
  })
})
