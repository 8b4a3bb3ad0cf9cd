// chv: the chat history viewer's command line. Expected errors print one line and exit 1.
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { writeDemoHistory } from '../main/db/demo-history'
import { isDbError } from '../main/db/errors'
import { ChatRepository } from '../main/db/repository'
import { formatConversations, formatEvents, formatMessages, isoFromUnix } from './format'
import { appDataDir } from '../main/app-data-dir'
import { ensureDemoDatabase } from '../main/demo-file'
import { CleanupError, cleanupHandlers, describeCompaction, describeSnapshots, unwrap } from './cleanup'
import { describeFindings, describeStats, lintConversations, runExport, storageStats } from './report'
import { serve } from './serve'

const USAGE = `Usage: chv <command> [options]

  chv ls DB [--limit N]                          conversations, last activity first
  chv show DB CONVERSATION                       every event of a conversation
  chv history DB CONVERSATION                    the events the model sees
  chv llm DB CONVERSATION --system TEXT --user TEXT
                                                 what build_llm_conversation sends to the model
  chv demo OUT.db                                write a sample chat history
  chv compact DB [CONVERSATION] [--dry-run] [--include-streaming] [--min-age SECONDS]
                                                 merge pending streamed replies (snapshot first);
                                                 a reply with a chunk younger than --min-age (60) is
                                                 still streaming and left alone
  chv rm DB CONVERSATION... --yes                delete conversations (snapshot first)
  chv clear DB --yes                             delete every conversation (snapshot first)
  chv snapshots DB                               the snapshots taken before changes to DB
  chv restore DB SNAPSHOT                        undo the change a snapshot was taken for
  chv export DB [CONVERSATION...] --format md|json|jsonl [-o FILE] [--system TEXT]
                                                 Markdown transcripts, the seed's events as JSON, or
                                                 what build_llm_conversation sends, one line each
  chv stats DB                                   bytes per event type and conversation; reclaimable
  chv lint DB [CONVERSATION]                     integrity findings (exit 1 when there are problems)
  chv vacuum DB --yes                            give free pages back to the disk (stop the chat app
                                                 first: no one else can write while it runs)
  chv serve DB [--port N] [--open] [--write]     the app in a browser on this machine (loopback only)
  chv serve --demo                               the same, on the demo database in the app's data folder

Options: --json (machine-readable output with the seed's field names), --help,
  --keep N (snapshots kept per file, 10 by default)`

class UsageError extends Error {}

interface Output {
  json: unknown
  text: string
}

function withRepo<T>(path: string | undefined, work: (repo: ChatRepository) => T): T {
  if (!path) throw new UsageError('missing the DB argument')
  const repo = ChatRepository.open(path)
  try {
    return work(repo)
  } finally {
    repo.close()
  }
}

function requireConversation(repo: ChatRepository, id: string | undefined): string {
  if (!id) throw new UsageError('missing the CONVERSATION argument')
  if (repo.getEvents(id, 1).length === 0) throw new UsageError(`no conversation "${id}" in ${repo.path}`)
  return id
}

// Only the first page is read from the file, so this answers at once on any file size.
function firstPage(repo: ChatRepository, limit: string) {
  const n = Number(limit)
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`--limit takes a whole number above 0, not "${limit}"`)
  return repo.listConversationPage(n).conversations
}

async function run(argv: string[]): Promise<Output | undefined> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
      limit: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      open: { type: 'boolean' },
      write: { type: 'boolean' },
      demo: { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      'include-streaming': { type: 'boolean' },
      yes: { type: 'boolean' },
      'min-age': { type: 'string' },
      format: { type: 'string' },
      output: { type: 'string', short: 'o' },
      keep: { type: 'string' },
      system: { type: 'string' },
      user: { type: 'string' },
    },
  })
  const [command, db, conversation] = positionals
  if (values.help || !command) return { json: null, text: USAGE }
  switch (command) {
    case 'ls':
      return withRepo(db, (repo) => {
        const list =
          values.limit === undefined ? repo.listConversationSummaries() : firstPage(repo, values.limit)
        const json = list.map((c) => ({ ...c, last_activity: isoFromUnix(c.last_activity_unix) }))
        return { json, text: formatConversations(list) }
      })
    case 'show':
    case 'history':
      return withRepo(db, (repo) => {
        const id = requireConversation(repo, conversation)
        const events = command === 'show' ? repo.getEvents(id) : repo.getConversationHistory(id)
        return { json: events, text: formatEvents(events) }
      })
    case 'llm':
      return withRepo(db, (repo) => {
        const id = requireConversation(repo, conversation)
        if (values.system === undefined || values.user === undefined)
          throw new UsageError('llm needs --system TEXT and --user TEXT')
        const messages = repo.buildLlmConversation(id, values.user, values.system)
        return { json: messages, text: formatMessages(messages) }
      })
    case 'demo': {
      if (!db) throw new UsageError('missing the OUT.db argument')
      if (existsSync(db)) throw new UsageError(`${db} exists already; chv demo only writes new files`)
      const repo = ChatRepository.open(db, { mode: 'create' })
      try {
        writeDemoHistory(repo)
        const conversations = repo.listConversations()
        return {
          json: { path: repo.path, conversations },
          text: `Wrote ${conversations.length} conversations to ${repo.path}`,
        }
      } finally {
        repo.close()
      }
    }
    case 'serve':
      if (!db && !values.demo) throw new UsageError('missing the DB argument (or --demo)')
      await serve(db ?? ensureDemoDatabase(appDataDir()), values, (message) => {
        throw new UsageError(message)
      })
      return undefined
    case 'export':
      return withRepo(db, (repo) => {
        const format = values.format
        if (format !== 'md' && format !== 'json' && format !== 'jsonl')
          throw new UsageError('export needs --format md, json or jsonl')
        for (const id of positionals.slice(2)) requireConversation(repo, id)
        runExport(repo, positionals.slice(2), format, values.output, values.system)
        return undefined
      })
    case 'stats':
      return withRepo(db, (repo) => {
        const stats = storageStats(repo)
        return { json: stats, text: describeStats(stats) }
      })
    case 'lint':
      return withRepo(db, (repo) => {
        const findings = lintConversations(repo.db, repo.schema, conversation ?? null)
        if (findings.some((f) => f.severity === 'problem')) process.exitCode = 1
        return { json: findings, text: describeFindings(findings) }
      })
    case 'compact':
    case 'rm':
    case 'clear':
    case 'snapshots':
    case 'restore':
    case 'vacuum':
      if (!db) throw new UsageError('missing the DB argument')
      return cleanup(command, db, positionals.slice(2), values)
    default:
      throw new UsageError(`unknown command "${command}" (try chv --help)`)
  }
}

function wholeNumber(flag: string, text: string): number {
  const n = Number(text)
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${flag} takes a whole number, not "${text}"`)
  return n
}

function cleanup(
  command: 'compact' | 'rm' | 'clear' | 'snapshots' | 'restore' | 'vacuum',
  db: string,
  rest: string[],
  flags: {
    'dry-run'?: boolean
    'include-streaming'?: boolean
    yes?: boolean
    'min-age'?: string
    keep?: string
  },
): Output {
  const minAge = wholeNumber('--min-age', flags['min-age'] ?? '60')
  const keep = wholeNumber('--keep', flags.keep ?? '10')
  const writes = !(command === 'snapshots' || (command === 'compact' && flags['dry-run']))
  if (command === 'vacuum' && !flags.yes) {
    const { handlers, fileId, close } = cleanupHandlers(db, false)
    try {
      const { freeBytes } = unwrap(handlers['vacuum.plan']({ fileId }))
      throw new UsageError(
        `vacuum would give back ${freeBytes} bytes; no other program can write while it runs (stop the chat app), then add --yes`,
      )
    } finally {
      close()
    }
  }
  if ((command === 'rm' || command === 'clear') && !flags.yes) {
    const { handlers, fileId, close } = cleanupHandlers(db, false)
    try {
      const plan = unwrap(
        handlers['delete.plan']({ fileId, conversationIds: command === 'clear' ? null : rest }),
      )
      throw new UsageError(
        `this would delete ${plan.rows} events in ${plan.conversations.length} conversations: add --yes to do it`,
      )
    } finally {
      close()
    }
  }
  const { handlers, fileId, close } = cleanupHandlers(db, writes, keep)
  try {
    if (command === 'snapshots') {
      const list = unwrap(handlers['snapshots.list']({ fileId }))
      return { json: list, text: describeSnapshots(list) }
    }
    if (command === 'vacuum') {
      const done = unwrap(handlers['vacuum.apply']({ fileId }))
      return { json: done, text: `Vacuumed: ${done.bytesBefore} bytes before, ${done.bytesAfter} after.` }
    }
    if (command === 'restore') {
      if (!rest[0]) throw new UsageError('missing the SNAPSHOT argument (see chv snapshots DB)')
      const undone = unwrap(handlers['snapshots.undo']({ fileId, snapshotPath: resolve(rest[0]) }))
      const clashes = undone.seqClashes ? ` (${undone.seqClashes} seq numbers are now used twice)` : ''
      return {
        json: undone,
        text: `Restored ${undone.rowsRestored} events, removed ${undone.rowsRemoved}${clashes}.`,
      }
    }
    if (command === 'compact') {
      const plan = unwrap(
        handlers['cleanup.plan']({ fileId, conversationId: rest[0] ?? null, minAgeSeconds: minAge }),
      )
      if (flags['dry-run']) return { json: plan, text: describeCompaction(plan) }
      const done = unwrap(
        handlers['cleanup.apply']({ fileId, plan, includeStreaming: flags['include-streaming'] ?? false }),
      )
      const text = `Compacted ${done.compacted} replies (${done.chunksRemoved} chunks)${
        done.skippedStreaming ? `, left ${done.skippedStreaming} still streaming` : ''
      }.${done.snapshot ? ` Snapshot: ${done.snapshot.path}` : ''}`
      return { json: done, text }
    }
    const plan = unwrap(
      handlers['delete.plan']({ fileId, conversationIds: command === 'clear' ? null : rest }),
    )
    const done = unwrap(handlers['delete.apply']({ fileId, plan }))
    const kept = done.rowsKept ? ` (${done.rowsKept} written meanwhile were kept)` : ''
    return {
      json: done,
      text: `Deleted ${done.rowsRemoved} events in ${done.conversations} conversations${kept}.${done.snapshot ? ` Snapshot: ${done.snapshot.path}` : ''}`,
    }
  } finally {
    close()
  }
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2)
  try {
    const output = await run(argv)
    const failed = process.exitCode
    if (output) {
      const json = argv.includes('--json') && output.json !== null
      process.stdout.write(`${json ? JSON.stringify(output.json, null, 2) : output.text}\n`)
    }
    return typeof failed === 'number' ? failed : 0
  } catch (error) {
    // The reader went away (chv export … | head): nothing more to say.
    if ((error as { code?: string }).code === 'EPIPE') return 0
    const expected =
      isDbError(error) ||
      error instanceof UsageError ||
      error instanceof CleanupError ||
      (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
    if (!expected) throw error
    process.stderr.write(`chv: ${(error as Error).message}\n`)
    return 1
  }
}

process.exitCode = await main()
// For the benchmark: the process's peak memory, to show an export runs in constant memory.
if (process.env.CHV_REPORT_MAX_RSS) process.stderr.write(`max-rss-kb ${process.resourceUsage().maxRSS}\n`)
