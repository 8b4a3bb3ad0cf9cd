// chv: the chat history viewer's command line. Expected errors print one line and exit 1.
import { existsSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { writeDemoHistory } from '../main/db/demo-history'
import { isDbError } from '../main/db/errors'
import { ChatRepository } from '../main/db/repository'
import { formatConversations, formatEvents, formatMessages, isoFromUnix } from './format'
import { appDataDir } from '../main/app-data-dir'
import { ensureDemoDatabase } from '../main/demo-file'
import { serve } from './serve'

const USAGE = `Usage: chv <command> [options]

  chv ls DB [--limit N]                          conversations, last activity first
  chv show DB CONVERSATION                       every event of a conversation
  chv history DB CONVERSATION                    the events the model sees
  chv llm DB CONVERSATION --system TEXT --user TEXT
                                                 what build_llm_conversation sends to the model
  chv demo OUT.db                                write a sample chat history
  chv serve DB [--port N] [--open] [--write]     the app in a browser on this machine (loopback only)
  chv serve --demo                               the same, on the demo database in the app's data folder

Options: --json (machine-readable output with the seed's field names), --help`

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
    default:
      throw new UsageError(`unknown command "${command}" (try chv --help)`)
  }
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2)
  try {
    const output = await run(argv)
    if (output) {
      const json = argv.includes('--json') && output.json !== null
      process.stdout.write(`${json ? JSON.stringify(output.json, null, 2) : output.text}\n`)
    }
    return 0
  } catch (error) {
    const expected =
      isDbError(error) ||
      error instanceof UsageError ||
      (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
    if (!expected) throw error
    process.stderr.write(`chv: ${(error as Error).message}\n`)
    return 1
  }
}

process.exitCode = await main()
