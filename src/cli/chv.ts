// chv: the chat history viewer's command line. Expected errors print one line and exit 1.
import { existsSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { writeDemoHistory } from '../main/db/demo-history'
import { isDbError } from '../main/db/errors'
import { fromSystemError } from './system-errors'
import { OutputClosed, printError, writeJson, writeText } from './output'
import { ChatRepository } from '../main/db/repository'
import { formatConversations, formatEvents, formatMessages, isoFromUnix } from './format'
import { appDataDir } from '../main/app-data-dir'
import { ensureDemoDatabase } from '../main/demo-file'
import { CleanupError, runCleanup } from './cleanup'
import { runRedact, runScan } from './privacy'
import { describeFindings, describeStats, indexedStorageStats, lintConversations, runExport } from './report'
import { serve } from './serve'
import { INDEX_OPTIONS, listFromIndex, wantsIndex } from './list-filters'
import { runSearch } from './search'
import { peakMemoryKb } from '../main/peak-memory'

const USAGE = `Usage: chv <command> [options]

  chv ls DB [--limit N]                          conversations, last activity first
  chv ls DB [--filter TEXT] [--model M] [--tool NAME] [--since DATE] [--until DATE]
         [--has-tools] [--has-pending] [--has-problems] [--sort last|first]
                                                 the same from the app's index of DB (built on first
                                                 use), with models, tools, pending and problems
  chv search DB QUERY [--order newest|relevance] [--limit N] [--offset N] [--model M] [--type T]
         [--conversation ID] [--since DATE] [--until DATE]
                                                 events whose text, tool names, tool-call arguments
                                                 or ids match: words, "phrases", a OR b, prefix*;
                                                 with the total count
  chv show DB CONVERSATION                       every event of a conversation
  chv history DB CONVERSATION                    the events the model sees
  chv llm DB CONVERSATION --system TEXT --user TEXT
                                                 what build_llm_conversation sends to the model
  chv demo OUT.db                                write a sample chat history
  chv compact DB [CONVERSATION] [--dry-run] [--min-age SECONDS]
                                                 merge pending streamed replies, each where it was
                                                 streamed; a reply with a chunk younger than
                                                 --min-age (60) is still streaming and left alone
  chv rm DB CONVERSATION... --yes [--shred]      delete conversations (--shred: for good)
  chv rm DB --older-than 90d | --inactive-since DATE [--dry-run] --yes [--shred]
                                                 delete conversations whose last event is older
  chv clear DB --yes [--no-backup]               delete every conversation (a full backup first)
  chv snapshots DB                               the undo journal of DB (changes, newest first) and
                                                 its full backups
  chv restore DB NUMBER                          undo one change (a number from chv snapshots)
  chv backup DB [OUT]                            a full copy of DB (into the app's data folder when
                                                 OUT is not given)
  chv scan DB [CONVERSATION...] [--pii]          leaked secrets (API keys, tokens, private keys,
                                                 passwords in URLs; --pii: emails, phone numbers),
                                                 masked (exit 1 when something is found)
  chv redact DB [CONVERSATION...] [--rule ID...] --yes [--shred [--delete-backups] [--vacuum]]
                                                 replace them with [REDACTED:rule]; --shred: for good
                                                 (no undo, no copy left in the journal, -wal, caches)
  chv export DB [CONVERSATION...] --format md|json|jsonl [-o FILE] [--system TEXT]
                                                 Markdown transcripts, the seed's events as JSON, or
                                                 what build_llm_conversation sends, one line each
  chv stats DB                                   bytes per event type and conversation; reclaimable
                                                 (from the app's index of DB, built on first use)
  chv lint DB [CONVERSATION]                     integrity findings (exit 1 when there are problems)
  chv vacuum DB --yes                            give free pages back to the disk (a full backup
                                                 first; stop the chat app: no one else can write
                                                 while it runs)
  chv serve DB... [--port N] [--open] [--write]  the app in a browser on this machine (loopback only)
  chv serve --demo                               the same, on the demo database in the app's data folder

Options: --json (machine-readable output with the seed's field names), --help,
  --keep N and --keep-days D (undo entries kept per file: 50, 30 days by default)`

class UsageError extends Error {}

interface Output {
  json: unknown
  /** Text, or blocks of text printed with a blank line between them (written one at a time). */
  text: string | string[]
}

function withRepo<T>(path: string | undefined, work: (repo: ChatRepository) => T): T {
  if (!path) throw new UsageError('missing the DB argument')
  const repo = ChatRepository.open(path)
  if (repo.note) printError(`note: ${repo.path}: ${repo.note}`)
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
      'keep-days': { type: 'string' },
      'older-than': { type: 'string' },
      'inactive-since': { type: 'string' },
      'no-backup': { type: 'boolean' },
      pii: { type: 'boolean' },
      shred: { type: 'boolean' },
      'delete-backups': { type: 'boolean' },
      vacuum: { type: 'boolean' },
      rule: { type: 'string', multiple: true },
      system: { type: 'string' },
      user: { type: 'string' },
      ...INDEX_OPTIONS,
    },
  })
  const [command, db, conversation] = positionals
  if (values.help || !command) return { json: null, text: USAGE }
  switch (command) {
    case 'ls':
      if (db && wantsIndex(values))
        return listFromIndex(db, values, (message) => {
          throw new UsageError(message)
        })
      return withRepo(db, (repo) => {
        const list =
          values.limit === undefined ? repo.listConversationSummaries() : firstPage(repo, values.limit)
        const json = list.map((c) => ({ ...c, last_activity: isoFromUnix(c.last_activity_unix) }))
        return { json, text: formatConversations(list) }
      })
    case 'search':
      if (!db) throw new UsageError('missing the DB argument')
      return runSearch(db, positionals[2], values, (message) => {
        throw new UsageError(message)
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
      await serve(db ? positionals.slice(1) : [ensureDemoDatabase(appDataDir())], values, (message) => {
        throw new UsageError(message)
      })
      return undefined
    case 'export':
      return withRepo(db, (repo) => {
        const format = values.format
        if (format !== 'md' && format !== 'json' && format !== 'jsonl')
          throw new UsageError('export needs --format md, json or jsonl')
        // `-o ""` (an unset variable in a script) must not quietly mean stdout.
        if (values.output === '') throw new UsageError('-o needs a file name')
        for (const id of positionals.slice(2)) requireConversation(repo, id)
        runExport(repo, positionals.slice(2), format, values.output, values.system)
        return undefined
      })
    case 'stats':
      return withRepo(db, (repo) => {
        const stats = indexedStorageStats(repo)
        return { json: stats, text: describeStats(stats) }
      })
    case 'lint':
      return withRepo(db, (repo) => {
        // A misspelt id would otherwise pass as a conversation without findings.
        if (conversation !== undefined) requireConversation(repo, conversation)
        const findings = lintConversations(repo, repo.schema, conversation ?? null)
        if (findings.some((f) => f.severity === 'problem')) process.exitCode = 1
        return { json: findings, text: describeFindings(findings) }
      })
    case 'scan': {
      if (!db) throw new UsageError('missing the DB argument')
      const scanned = runScan(db, positionals.slice(2), values)
      if (scanned.found) process.exitCode = 1
      return scanned
    }
    case 'redact':
      if (!db) throw new UsageError('missing the DB argument')
      return runRedact(db, positionals.slice(2), values)
    case 'compact':
    case 'rm':
    case 'clear':
    case 'snapshots':
    case 'restore':
    case 'backup':
    case 'vacuum':
      if (!db) throw new UsageError('missing the DB argument')
      return runCleanup(command, db, positionals.slice(2), values)
    default:
      throw new UsageError(`unknown command "${command}" (try chv --help)`)
  }
}

/** Whether --json was given as an option (after `--` it is an argument, such as a conversation id). */
const wantsJson = (argv: string[]): boolean =>
  argv.slice(0, argv.includes('--') ? argv.indexOf('--') : argv.length).includes('--json')

/** Node's parser explains an option value that starts with a dash over three lines; one is enough. */
function parseArgsMessage(error: Error): string {
  const ambiguous = /^Option '(--[\w-]+)[^']*' argument is ambiguous/.exec(error.message)
  if (ambiguous)
    return `${ambiguous[1]} needs a value; write one that starts with a dash as ${ambiguous[1]}=-N`
  return error.message
}

/** Every failure ends here: one line on stderr and exit 1, never a stack trace. */
function reportFailure(error: unknown): number {
  const code = (error as { code?: unknown } | null)?.code
  // The reader of our output went away (also from a stream's late 'error', as in chv serve | head).
  if (error instanceof OutputClosed || code === 'EPIPE') return 0
  if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
    printError(parseArgsMessage(error as Error))
    return 1
  }
  const expected = isDbError(error) || error instanceof UsageError || error instanceof CleanupError
  const typed = expected ? undefined : fromSystemError(error)
  const message = error instanceof Error ? error.message : String(error)
  printError(expected ? message : (typed ?? `unexpected error: ${message}`))
  return 1
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2)
  try {
    const output = await run(argv)
    const failed = process.exitCode
    if (output) {
      if (wantsJson(argv) && output.json !== null) writeJson(1, output.json)
      else writeText(1, output.text)
    }
    return typeof failed === 'number' ? failed : 0
  } catch (error) {
    return reportFailure(error)
  }
}

// Errors outside main's await (a server's socket, a late callback): the same one line, then exit.
process.on('uncaughtException', (error) => process.exit(reportFailure(error)))
process.on('unhandledRejection', (error) => process.exit(reportFailure(error)))
process.exitCode = await main()
// For the benchmark: the process's peak memory, to show an export runs in constant memory.
if (process.env.CHV_REPORT_MAX_RSS) process.stderr.write(`max-rss-kb ${peakMemoryKb()}\n`)
