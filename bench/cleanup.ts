// Cleanup at scale on the 1M-event copy: 10,000 pending replies of 10 chunks each (100,000 deltas),
// compacted and undone through the undo journal, and one conversation end to end from a fresh process.
import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { ChatRepository } from '../src/main/db/repository'
import { BIG_CONVERSATION_ID } from './generate'
import { timeIt, type Row } from './measure'

/** Bytes of every file under `dir`. */
function folderBytes(dir: string): number {
  let total = 0
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true }))
    if (entry.isFile()) total += statSync(join(entry.parentPath, entry.name)).size
  return total
}

/** Median wall time of `runs` fresh `node chv …` processes, start to exit. */
function processMs(cli: string, args: string[], env: NodeJS.ProcessEnv, runs = 5): number {
  return timeIt(runs, () => {
    const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env })
    if (r.status !== 0) throw new Error(`chv ${args.join(' ')}: ${r.stderr}`)
  })
}

export function cleanupRows(repo: ChatRepository, cli: string, dataDir: string): Row[] {
  rmSync(dataDir, { recursive: true, force: true })
  mkdirSync(dataDir, { recursive: true })
  const old = new Date(Date.UTC(2025, 6, 1))
  for (let g = 0; g < 10_000; g += 1000) {
    repo.addEvents(
      Array.from({ length: 10_000 }, (_, i) => ({
        conversation_id: `bench-pending-${(g + Math.floor(i / 10)) % 1000}`,
        type: 'meta',
        content: `chunk ${i % 10} `,
        created_at: old,
        extra: { kind: 'assistant_delta', user_request_id: `pending-${g + Math.floor(i / 10)}` },
      })),
    )
  }
  repo.db.pragma('wal_checkpoint(TRUNCATE)')
  const env = { ...process.env, CHV_DATA_DIR: dataDir }
  // One conversation (10 replies, 100 chunks) from a fresh process, and its undo, against the first
  // page of the list from a fresh process, on the same file.
  const list = processMs(cli, ['ls', repo.path, '--limit', '100'], env)
  let one = 0
  let undoOne = 0
  let journalBytes = 0
  for (let k = 0; k < 5; k++) {
    const conversation = `bench-pending-${k}`
    const before = folderBytes(dataDir)
    one += processMs(cli, ['compact', repo.path, conversation], env, 1) / 5
    journalBytes = Math.max(journalBytes, folderBytes(dataDir) - before)
    const entries = JSON.parse(
      spawnSync(process.execPath, [cli, 'snapshots', repo.path, '--json'], { encoding: 'utf8', env }).stdout,
    ) as { entries: { id: number }[] }
    undoOne += processMs(cli, ['restore', repo.path, String(entries.entries[0]!.id)], env, 1) / 5
  }
  let plan = repo.planCompaction(null, 60)
  const planMs = timeIt(3, () => (plan = repo.planCompaction(null, 60)))
  const started = performance.now()
  const compacted = repo.compact(plan, { dataDir })
  const applyMs = performance.now() - started
  const journalAll = folderBytes(dataDir)
  const undoStarted = performance.now()
  const undone = repo.undo(compacted.entryId!, { dataDir })
  const undoMs = performance.now() - undoStarted
  const deleted = repo.deleteConversations(repo.planDeletion([BIG_CONVERSATION_ID]), { dataDir })
  const undoDelete = repo.undo(deleted.entryId!, { dataDir })
  const bytes = statSync(repo.path).size
  const backupMs = timeIt(1, () => repo.backup(dataDir))
  rmSync(dataDir, { recursive: true, force: true })
  return [
    {
      name: `cleanup: compact one conversation (10 replies), process start to exit; adds ${(journalBytes / 1024).toFixed(0)} KB to the data folder`,
      ours: one,
      baseline: list,
      baselineName: 'chv ls --limit 100 (fresh process)',
      target: '≤ 3× the baseline, < 1 MB added',
    },
    {
      name: 'cleanup: undo of it (chv restore), process start to exit',
      ours: undoOne,
      baseline: list,
      baselineName: 'chv ls --limit 100 (fresh process)',
      target: '≤ 3× the baseline',
    },
    {
      name: `cleanup: plan ${plan.replies.length} pending replies (${plan.replies.reduce((n, r) => n + r.chunks, 0)} deltas) in 1M events`,
      ours: planMs,
      baseline: 1000,
      baselineName: 'one second',
    },
    {
      name: `cleanup: compact all ${compacted.compacted} replies, journal first (${(journalAll / 1e6).toFixed(1)} MB of journal)`,
      ours: applyMs,
      baseline: 60_000,
      baselineName: 'one minute',
    },
    {
      name: 'cleanup: longest lock held while compacting them',
      ours: compacted.longestLockMs,
      baseline: 100,
      baselineName: 'the target (100 ms)',
      target: '< 100 ms',
    },
    {
      name: `cleanup: undo all ${compacted.compacted} (${undone.rowsRestored} rows back)`,
      ours: undoMs,
      baseline: 60_000,
      baselineName: 'one minute',
    },
    {
      name: 'cleanup: longest lock held while undoing them',
      ours: undone.longestLockMs,
      baseline: 100,
      baselineName: 'the target (100 ms)',
      target: '< 100 ms',
    },
    {
      name: `cleanup: longest lock held deleting, then undoing, the 50,000-event conversation`,
      ours: Math.max(deleted.longestLockMs, undoDelete.longestLockMs),
      baseline: 100,
      baselineName: 'the target (100 ms)',
      target: '< 100 ms',
    },
    {
      name: `cleanup: full backup (VACUUM INTO) per GB, file of ${(bytes / 1e9).toFixed(2)} GB`,
      ours: backupMs / (bytes / 1e9),
      baseline: 60_000,
      baselineName: 'one minute',
    },
  ]
}

// `tsx bench/cleanup.ts`: these rows alone, on a copy of the cached 1M-event file (npm run bench makes it).
if (process.argv[1]?.endsWith('cleanup.ts')) {
  const { ChatRepository } = await import('../src/main/db/repository')
  const { cachedHistory } = await import('./generate')
  const { printTable } = await import('./measure')
  const cache = join(import.meta.dirname, '../.bench-cache')
  const source = cachedHistory(cache, {
    events: 1_000_000,
    conversations: 10_000,
    bigConversationEvents: 50_000,
  })
  const copy = join(cache, 'bench-cleanup-copy.db')
  for (const suffix of ['', '-wal', '-shm']) rmSync(copy + suffix, { force: true })
  copyFileSync(source, copy)
  const repo = ChatRepository.open(copy, { mode: 'write' })
  const { privacyRows } = await import('./privacy')
  printTable([
    ...cleanupRows(repo, join(import.meta.dirname, '../out/cli/chv.js'), join(cache, 'bench-data')),
    ...privacyRows(repo, join(cache, 'bench-privacy')),
  ])
  repo.close()
  for (const suffix of ['', '-wal', '-shm']) rmSync(copy + suffix, { force: true })
}
