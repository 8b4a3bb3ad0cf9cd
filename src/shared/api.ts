// THE contract: every operation the UI may ask for, with runtime schemas for input and output.
// Channel names are literal strings so a grep finds the entry, its handler and every caller.
import { z } from 'zod'

const json: z.ZodType<unknown> = z.json()

export const FileId = z.string().regex(/^f\d{1,6}$/, 'a file id handed out by the app')
/**
 * Any id a file holds must be usable (ids past 4,096 characters were listed but could not be opened);
 * the size of a request is bounded by the transport (1 MB over HTTP).
 */
export const ConversationId = z.string().min(1)

/** An expected failure, as a value: the UI shows `message`; `reason` says what kind. */
export const Failure = z.object({
  ok: z.literal(false),
  reason: z.enum([
    'unknown_file',
    'not_found',
    'not_a_file',
    'empty_file',
    'not_a_database',
    'damaged',
    'no_chat_events',
    'missing_columns',
    'locked',
    'read_only',
    'file_replaced',
    'cannot_open',
    'no_conversation',
    'no_event',
    'writes_disabled',
    'snapshot_failed',
    'disk_full',
    // An apply named a plan that expired, was used, or was never issued here.
    'plan_expired',
    // The desktop app's native confirmation was answered Cancel.
    'cancelled',
    // Something in the file this app did not foresee: that call fails, the others go on.
    'unexpected',
    // An answer too large to carry in one piece (an export of hundreds of MB): the message says its size.
    'too_large',
  ]),
  message: z.string(),
})
export type Failure = z.infer<typeof Failure>
export type FailureReason = Failure['reason']

const result = <T extends z.ZodType>(value: T) =>
  z.discriminatedUnion('ok', [z.object({ ok: z.literal(true), value }), Failure])

export const ToolCall = z.object({
  id: z.string(),
  type: z.string(),
  function: z.object({ name: z.string(), arguments: z.string() }),
})

export const ChatEvent = z.object({
  id: z.string(),
  conversation_id: z.string(),
  seq: z.number(),
  schema_version: z.number(),
  type: z.string(),
  role: z.string().nullable(),
  content: z.union([z.string(), z.array(json)]).nullable(),
  tool_calls: z.array(ToolCall),
  provider: z.string().nullable(),
  model: z.string().nullable(),
  stop_reason: z.string().nullable(),
  created_at: z.string(),
  extra: z.record(z.string(), json),
  raw: z.record(z.string(), json).nullable(),
  invalid_json: z.partialRecord(z.enum(['tool_calls', 'extra', 'raw']), z.string()).optional(),
  odd_cells: z.partialRecord(z.enum(['seq', 'schema_version']), z.string()).optional(),
})

/** An event in a timeline page: content cut to a size, its full length reported. */
export const EventPreview = ChatEvent.extend({ content_length: z.number(), content_truncated: z.boolean() })
export type EventPreview = z.infer<typeof EventPreview>

export const EventPage = z.object({
  events: z.array(EventPreview),
  nextAfterSeq: z.number().nullable(),
  /** The conversation's highest seq, to jump to its newest events. */
  lastSeq: z.number().nullable(),
})
export type EventPage = z.infer<typeof EventPage>

export const ConversationSummary = z.object({
  conversation_id: z.string(),
  /** The seed's recency: MAX(created_at_unix), or computed from created_at in files that predate it. */
  last_activity_unix: z.number().nullable(),
  event_count: z.number(),
  /** The first user message on one line; text parts only for multimodal content. */
  preview: z.string(),
})
export type ConversationSummary = z.infer<typeof ConversationSummary>

/** What needs every row of a conversation: asked for the conversations on screen only. */
export const ConversationStats = z.object({
  conversation_id: z.string(),
  models: z.array(z.string()),
  /** Streamed chunks whose reply has no compacted `assistant:<user_request_id>` message. */
  pending_deltas: z.number(),
  /** Integrity problems (see lint.run), not counting notes. */
  problems: z.number(),
})
export type ConversationStats = z.infer<typeof ConversationStats>

/** Where a page of conversations ended. Opaque to the UI: pass it back for the next page. */
export const ListCursor = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('walk'), time: z.number().nullable(), rowid: z.number() }),
  z.object({ kind: z.literal('offset'), offset: z.number().int().nonnegative() }),
])
export type ListCursor = z.infer<typeof ListCursor>

export const ConversationPage = z.object({
  conversations: z.array(ConversationSummary),
  next: ListCursor.nullable(),
})
export type ConversationPage = z.infer<typeof ConversationPage>

export const FileRef = z.object({ fileId: FileId, path: z.string(), name: z.string() })
export type FileRef = z.infer<typeof FileRef>

export const FileInfo = FileRef.extend({
  size: z.number(),
  readOnly: z.boolean(),
  /** Whether the UI may change the file: a read-only file then asks to switch to writing first. */
  writesEnabled: z.boolean(),
  /** `wal` for files the chat app has used (it switches them to WAL). */
  journalMode: z.string(),
  /** Size of the -wal file: changes not yet checkpointed into the file (0 when there is none). */
  walBytes: z.number(),
  schema: z.object({ hasCreatedAtUnix: z.boolean(), indexes: z.array(z.string()) }),
  /** How the file was opened, when the user should know ("read-only copy: live updates off"). */
  note: z.string().nullable(),
})
export type FileInfo = z.infer<typeof FileInfo>

export const LlmMessage = z.object({
  role: z.enum(['system', 'user', 'assistant', 'tool']),
  content: z.string(),
  tool_call_id: z.string().optional(),
})

export const ModelView = z.object({
  messages: z.array(LlmMessage),
  /** How many model-visible events the seed read (at most `limit`), and of how many in all. */
  historyEvents: z.number(),
  visibleEvents: z.number(),
  limit: z.number(),
})
export type ModelView = z.infer<typeof ModelView>

export const DeltaGroup = z.object({
  conversation_id: z.string(),
  user_request_id: z.string(),
  chunks: z.number(),
  /** Bytes of chunk content (what compaction turns into one message). */
  bytes: z.number(),
  first_seq: z.number(),
  last_seq: z.number(),
  newest_unix: z.number().nullable(),
  model: z.string().nullable(),
  /** The start of the merged text. */
  preview: z.string(),
  /** Its newest chunk is younger than the plan's minimum age: probably still streaming. */
  streaming: z.boolean(),
})
export type DeltaGroup = z.infer<typeof DeltaGroup>

/** Plans are kept where they are applied; the UI gets a summary and the plan's id to apply it. */
const IssuedPlan = {
  planId: z.string(),
  /** After this the plan is refused: plan again (the file may have changed). */
  expiresAt: z.string(),
}

export const CompactionPlan = z.object({
  ...IssuedPlan,
  conversationId: z.string().nullable(),
  /** The pending replies, newest first, at most the `groupsLimit` asked for. */
  groups: z.array(DeltaGroup),
  /** Pending replies in all (listed or not). */
  groupsTotal: z.number(),
  /** Replies the apply would compact (done streaming), their chunks and bytes. */
  replies: z.number(),
  chunks: z.number(),
  bytes: z.number(),
  /** Replies left alone: their newest chunk is younger than the minimum age. */
  streaming: z.number(),
})
export type CompactionPlan = z.infer<typeof CompactionPlan>

const Backup = z.object({ path: z.string(), bytes: z.number() })

/** What every write reports besides its counts. */
const WriteReport = {
  /** The undo journal's entry for this change (null when nothing changed). */
  entryId: z.number().nullable(),
  /** The file was brought to the chat app's current schema first (created_at_unix, indexes, WAL). */
  migrated: z.boolean(),
  /** The longest time one of its transactions held the file's write lock. */
  longestLockMs: z.number(),
  /** Something worth knowing, such as a damaged undo journal that was moved aside. */
  note: z.string().nullable(),
}

export const CompactionResult = z.object({
  ...WriteReport,
  compacted: z.number(),
  chunksRemoved: z.number(),
  skippedStreaming: z.number(),
  alreadyCompacted: z.number(),
  /** Replies whose chunks changed since the plan (more arrived, or the chat app compacted them). */
  changedSincePlan: z.number(),
})
export type CompactionResult = z.infer<typeof CompactionResult>

export const SearchStatus = z.object({
  state: z.enum(['building', 'ready']),
  /** Rows indexed so far, of about `total` (the file's highest rowid). */
  indexed: z.number(),
  total: z.number(),
})
export type SearchStatus = z.infer<typeof SearchStatus>

/** How a search snippet marks a match: between these two characters (never HTML). */
export const SNIPPET_MARK = { start: '\u0002', end: '\u0003' } as const

export const SearchHit = z.object({
  conversation_id: z.string(),
  event_id: z.string(),
  seq: z.number(),
  type: z.string(),
  model: z.string().nullable(),
  provider: z.string().nullable(),
  created_at_unix: z.number().nullable(),
  /** A piece of the text around the match; matches between \u0002 and \u0003. */
  snippet: z.string(),
})
export type SearchHit = z.infer<typeof SearchHit>

/** The derived index of a file (src/main/index): whole-file answers without reading every row. */
export const IndexStatus = z.object({
  state: z.enum(['building', 'ready']),
  /** Rows copied so far, of about `total` (the file's highest rowid). */
  indexed: z.number(),
  total: z.number(),
  /** Conversations waiting to be summarized again. */
  pendingConversations: z.number(),
  /** The index's size on disk, beside the file's. */
  bytes: z.number(),
})
export type IndexStatus = z.infer<typeof IndexStatus>

/** One conversation as the derived index summarizes it (the seed's snake_case). */
export const IndexedConversation = z.object({
  conversation_id: z.string(),
  first_activity_unix: z.number().nullable(),
  last_activity_unix: z.number().nullable(),
  event_count: z.number(),
  preview: z.string(),
  models: z.array(z.string()),
  tools: z.array(z.string()),
  tool_calls: z.number(),
  pending_deltas: z.number(),
  pending_replies: z.number(),
  /** tool_calls entries no tool_result answers (by tool_call_id). */
  calls_without_result: z.number(),
  /** pending_deltas + calls_without_result. */
  problems: z.number(),
  bytes: z.object({ content: z.number(), extra: z.number(), raw: z.number(), tool_calls: z.number() }),
})
export type IndexedConversation = z.infer<typeof IndexedConversation>

const FacetCount = z.object({ value: z.string(), count: z.number() })

export const ConversationQueryResult = z.object({
  conversations: z.array(IndexedConversation),
  /** Matching conversations, whatever the page. */
  total: z.number(),
  /** Counts among the matching conversations. */
  facets: z.object({
    models: z.array(FacetCount),
    tools: z.array(FacetCount),
    hasTools: z.number(),
    hasPending: z.number(),
    hasProblems: z.number(),
  }),
  /** While `building`, the answer covers what is summarized so far. */
  status: IndexStatus,
})
export type ConversationQueryResult = z.infer<typeof ConversationQueryResult>

export const FoundHit = SearchHit.extend({
  /** Where the match is: the event's text, or its tool calls and ids. */
  matched: z.enum(['text', 'detail']),
  /** bm25 (lower is better) when ordered by relevance. */
  score: z.number().nullable(),
  /** A match in tool calls: the function name of the call it is in (null: in the event's ids). */
  tool: z.string().nullable().optional(),
})
export type FoundHit = z.infer<typeof FoundHit>

export const SearchFindResult = z.object({
  hits: z.array(FoundHit),
  /** Every matching event, whatever the page. */
  total: z.number(),
  order: z.enum(['newest', 'relevance']),
  /** Relevance ranked only the newest `ranked` matches: better ones may be among older matches. */
  capped: z.boolean(),
  ranked: z.number(),
  expression: z.string().nullable(),
  status: SearchStatus,
})
export type SearchFindResult = z.infer<typeof SearchFindResult>

export const DeletionPlan = z.object({
  ...IssuedPlan,
  /** Every conversation (clear), or the ones listed. */
  all: z.boolean(),
  /** The conversations, at most 500 listed; `conversationsTotal` counts them all. */
  conversations: z.array(z.object({ conversation_id: z.string(), rows: z.number(), bytes: z.number() })),
  conversationsTotal: z.number(),
  rows: z.number(),
  bytes: z.number(),
})
export type DeletionPlan = z.infer<typeof DeletionPlan>

export const DeletionResult = z.object({
  ...WriteReport,
  conversations: z.number(),
  rowsRemoved: z.number(),
  /** Rows written after the plan, kept. */
  rowsKept: z.number(),
  /** The full backup taken first (clear), if any. */
  backup: Backup.nullable(),
  /** Deleted for good: where a copy could still be. */
  shred: z
    .lazy(() => ShredReport)
    .nullable()
    .optional(),
})
export type DeletionResult = z.infer<typeof DeletionResult>

export const JournalEntry = z.object({
  id: z.number(),
  operation: z.string(),
  created_at: z.string(),
  /** `interrupted`: stopped part-way (killed); its undo puts back what it did. */
  /** `shredded`: removed for good (its rows' images are gone): it cannot be undone. */
  state: z.enum(['applied', 'interrupted', 'stopped', 'undone', 'partly_undone', 'damaged', 'shredded']),
  /** The first conversations it touched; `conversationCount` counts them all. */
  conversations: z.array(z.string()),
  conversationCount: z.number(),
  rowsRemoved: z.number(),
  rowsAdded: z.number(),
  steps: z.number(),
  stepsApplied: z.number(),
  backup: z.string().nullable(),
})
export type JournalEntry = z.infer<typeof JournalEntry>

export const BackupInfo = z.object({
  path: z.string(),
  bytes: z.number(),
  /** What it was taken for: clear, vacuum, or backup (on request). */
  label: z.string(),
  created_at: z.string(),
})
export type BackupInfo = z.infer<typeof BackupInfo>

export const UndoLog = z.object({
  entries: z.array(JournalEntry),
  backups: z.array(BackupInfo),
  note: z.string().nullable(),
})
export type UndoLog = z.infer<typeof UndoLog>

export const UndoResult = z.object({
  rowsRestored: z.number(),
  rowsRemoved: z.number(),
  /** Steps left as they are, and why (a seq the chat app has used since, a reply changed since). */
  skipped: z.array(z.object({ conversation_id: z.string(), reason: z.string() })),
  alreadyUndone: z.boolean(),
  longestLockMs: z.number(),
  note: z.string().nullable(),
})
export type UndoResult = z.infer<typeof UndoResult>

/** A secret found in the history: where it is and what kind, masked (a full secret never leaves main). */
export const SecretFinding = z.object({
  rule: z.string(),
  conversation_id: z.string(),
  event_id: z.string(),
  seq: z.number(),
  /** The column, or `chunks` for a secret split across streamed chunks. */
  column: z.string(),
  masked: z.string(),
})
export type SecretFinding = z.infer<typeof SecretFinding>

export const ScanResult = z.object({
  /** Pass it to privacy.redact: the findings themselves stay where the scan ran. */
  scanId: z.string(),
  expiresAt: z.string(),
  /** At most 1,000 listed; `total` counts them all. */
  findings: z.array(SecretFinding),
  total: z.number(),
  byRule: z.array(z.object({ rule: z.string(), description: z.string(), count: z.number() })),
  rowsScanned: z.number(),
})
export type ScanResult = z.infer<typeof ScanResult>

/** After removing something for good: where a copy could still be, checked byte for byte. */
export const ShredReport = z.object({
  /** No copy of what was removed is left in the file, its -wal or the app's data folder. */
  clean: z.boolean(),
  remaining: z.array(z.object({ path: z.string(), what: z.string() })),
  journalImagesPurged: z.number(),
  walCheckpointed: z.boolean(),
  walNote: z.string().nullable(),
  removedCaches: z.array(z.string()),
  removedBackups: z.array(z.string()),
  /** The file was rewritten (VACUUM) to drop copies left in its free space by earlier changes. */
  vacuumed: z.boolean(),
  vacuumNote: z.string().nullable(),
})
export type ShredReport = z.infer<typeof ShredReport>

export const RedactResult = z.object({
  ...WriteReport,
  rowsChanged: z.number(),
  findingsRedacted: z.number(),
  changedSincePlan: z.number(),
  skipped: z.array(z.object({ event_id: z.string(), rule: z.string(), reason: z.string() })),
  shred: ShredReport.nullable(),
})
export type RedactResult = z.infer<typeof RedactResult>

export const LintFinding = z.object({
  conversation_id: z.string(),
  seq: z.number(),
  event_id: z.string().nullable(),
  kind: z.enum([
    'seq_duplicate',
    'seq_gap',
    'time_order',
    'unknown_type',
    'invalid_utf8',
    'invalid_json',
    'request_id_duplicate',
    'call_without_result',
    'result_without_call',
    'pending_deltas',
    // A value of a kind the seed never writes (a BLOB id, seq as text, created_at_unix past any date).
    'odd_value',
  ]),
  /** Problems make `chv lint` fail; notes (seq gaps, which compaction leaves) do not. */
  severity: z.enum(['problem', 'note']),
  message: z.string(),
})
export type LintFinding = z.infer<typeof LintFinding>

export const StorageStats = z.object({
  fileBytes: z.number(),
  freeBytes: z.number(),
  events: z.number(),
  byType: z.array(
    z.object({
      type: z.string(),
      events: z.number(),
      content: z.number(),
      extra: z.number(),
      raw: z.number(),
      tool_calls: z.number(),
    }),
  ),
  largest: z.array(z.object({ conversation_id: z.string(), events: z.number(), bytes: z.number() })),
  /** What compacting every pending reply would take out (chunk rows and their text). */
  compaction: z.object({ replies: z.number(), chunks: z.number(), bytes: z.number() }),
})
export type StorageStats = z.infer<typeof StorageStats>

const fileInput = z.object({ fileId: FileId })

/** The filters and sort of the derived index's list (`conversations.query`, `conversations.position`). */
const conversationFilters = {
  /** Conversation id or first user message contains it (case-insensitive). */
  text: z.string().max(1000).default(''),
  model: z.string().max(200).nullable().default(null),
  tool: z.string().max(200).nullable().default(null),
  /** Last activity at or after. */
  sinceUnix: z.number().int().nullable().default(null),
  /** First activity at or before. */
  untilUnix: z.number().int().nullable().default(null),
  hasTools: z.boolean().default(false),
  hasPending: z.boolean().default(false),
  hasProblems: z.boolean().default(false),
  sort: z.enum(['last', 'first']).default('last'),
}
const conversationInput = fileInput.extend({ conversationId: ConversationId })

/**
 * Every operation. `write: true` marks those that change the file: refused unless the transport was
 * started with writes allowed (`chv serve --write`).
 */
export const contract = {
  'files.list': { input: z.object({}), output: z.array(FileRef), write: false },
  'files.info': { input: fileInput, output: result(FileInfo), write: false },
  'conversations.list': {
    input: fileInput.extend({
      limit: z.number().int().min(1).max(500),
      cursor: ListCursor.nullable().default(null),
      /** Keeps conversations whose id or first user message contains this text (case-insensitive). */
      filter: z.string().max(1000).default(''),
      /** By last activity (the seed's order) or by when the conversation started. */
      sort: z.enum(['last', 'first']).default('last'),
    }),
    output: result(ConversationPage),
    write: false,
  },
  'conversations.stats': {
    input: fileInput.extend({ conversationIds: z.array(ConversationId).min(1).max(200) }),
    output: result(z.array(ConversationStats)),
    write: false,
  },
  'events.page': {
    input: conversationInput.extend({
      // Not only whole numbers: a file can hold seq 2.5, and the next page must start after it.
      afterSeq: z.number().nullable().default(null),
      limit: z.number().int().min(1).max(1000),
      contentChars: z.number().int().min(1).max(1_000_000),
    }),
    output: result(EventPage),
    write: false,
  },
  'events.get': {
    input: conversationInput.extend({ eventId: z.string().min(1) }),
    output: result(ChatEvent),
    write: false,
  },
  'model.view': {
    input: conversationInput.extend({
      systemPrompt: z.string().max(1_000_000),
      userMessage: z.string().max(1_000_000),
    }),
    output: result(ModelView),
    write: false,
  },
  'search.status': { input: fileInput, output: result(SearchStatus), write: false },
  'search.query': {
    input: fileInput.extend({
      text: z.string().max(1000),
      /** Only this conversation, hits in seq order (find in conversation); else the best hits anywhere. */
      conversationId: ConversationId.nullable().default(null),
      type: z.string().max(200).nullable().default(null),
      model: z.string().max(200).nullable().default(null),
      provider: z.string().max(200).nullable().default(null),
      fromUnix: z.number().int().nullable().default(null),
      toUnix: z.number().int().nullable().default(null),
      limit: z.number().int().min(1).max(500).default(50),
    }),
    output: result(z.object({ hits: z.array(SearchHit), status: SearchStatus })),
    write: false,
  },
  /** Search over text, tool names, arguments and ids: totals, pages, newest or relevance order. */
  'search.find': {
    input: fileInput.extend({
      /** Words, "phrases", a OR b, prefix*; anything else is taken as words. */
      text: z.string().max(1000),
      conversationId: ConversationId.nullable().default(null),
      type: z.string().max(200).nullable().default(null),
      model: z.string().max(200).nullable().default(null),
      provider: z.string().max(200).nullable().default(null),
      fromUnix: z.number().int().nullable().default(null),
      toUnix: z.number().int().nullable().default(null),
      order: z.enum(['newest', 'relevance']).default('newest'),
      offset: z.number().int().min(0).max(1_000_000).default(0),
      limit: z.number().int().min(1).max(500).default(50),
    }),
    output: result(SearchFindResult),
    write: false,
  },
  /** The derived index's progress and size, and the search index's size (both in the app's data folder). */
  'index.status': {
    input: fileInput,
    output: result(IndexStatus.extend({ searchBytes: z.number() })),
    write: false,
  },
  /** Deletes the file's derived and search indexes (caches in the app's data folder); rebuilt on demand. */
  'index.delete': { input: fileInput, output: result(z.object({ deleted: z.boolean() })), write: false },
  /** The whole list from the derived index: filters, sort, pages and counts per facet. */
  'conversations.query': {
    input: fileInput.extend({
      ...conversationFilters,
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(5000).default(500),
    }),
    output: result(ConversationQueryResult),
    write: false,
  },
  /** A page of that list without the total and facet counts (which its first page brought). */
  'conversations.page': {
    input: fileInput.extend({
      ...conversationFilters,
      offset: z.number().int().min(0),
      limit: z.number().int().min(1).max(5000),
    }),
    output: result(z.object({ conversations: z.array(IndexedConversation), status: IndexStatus })),
    write: false,
  },
  /**
   * Where a date is in the list `conversations.query` gives with the same filters and sort: the offset of
   * the first conversation active at or before `atUnix` (the total when none is), to jump there.
   */
  'conversations.position': {
    input: fileInput.extend({ ...conversationFilters, atUnix: z.number().int() }),
    output: result(z.object({ offset: z.number(), status: IndexStatus })),
    write: false,
  },
  'cleanup.plan': {
    input: fileInput.extend({
      conversationId: ConversationId.nullable().default(null),
      minAgeSeconds: z.number().int().min(1).max(10_000_000).default(60),
      groupsLimit: z.number().int().min(0).max(1_000_000).default(200),
    }),
    output: result(CompactionPlan),
    write: false,
  },
  'cleanup.apply': {
    // The counts are the ones the user was shown: a plan with others is refused, so what main's
    // confirmation says is what happens.
    input: fileInput.extend({
      planId: z.string().max(100),
      replies: z.number().int().nonnegative(),
      chunks: z.number().int().nonnegative(),
    }),
    output: result(CompactionResult),
    write: true,
  },
  'delete.plan': {
    input: fileInput.extend({
      /** The conversations to delete; null deletes every one (the seed's handle_clear_session). */
      conversationIds: z.array(ConversationId).min(1).max(10_000).nullable(),
    }),
    output: result(DeletionPlan),
    write: false,
  },
  'delete.apply': {
    input: fileInput.extend({
      planId: z.string().max(100),
      all: z.boolean(),
      conversations: z.number().int().nonnegative(),
      rows: z.number().int().nonnegative(),
      /** Delete for good: no undo, no backup, no copy left in the journal, the -wal or caches. */
      shred: z.boolean().default(false),
      deleteBackups: z.boolean().default(false),
      vacuum: z.boolean().default(false),
    }),
    output: result(DeletionResult),
    write: true,
  },
  'undo.list': { input: fileInput, output: result(UndoLog), write: false },
  'backup.create': { input: fileInput, output: result(Backup), write: false },
  'lint.run': {
    input: fileInput.extend({ conversationId: ConversationId.nullable().default(null) }),
    output: result(z.array(LintFinding)),
    write: false,
  },
  'storage.stats': { input: fileInput, output: result(StorageStats), write: false },
  'export.conversations': {
    input: fileInput.extend({
      conversationIds: z.array(ConversationId).min(1).max(1000),
      format: z.enum(['md', 'json', 'jsonl']),
      systemPrompt: z.string().max(100_000).default(''),
    }),
    output: result(z.string()),
    write: false,
  },
  'vacuum.plan': {
    input: fileInput,
    output: result(z.object({ fileBytes: z.number(), freeBytes: z.number() })),
    write: false,
  },
  'vacuum.apply': {
    input: fileInput,
    output: result(z.object({ bytesBefore: z.number(), bytesAfter: z.number(), backup: Backup })),
    write: true,
  },
  'undo.apply': {
    input: fileInput.extend({ entryId: z.number().int().positive() }),
    output: result(UndoResult),
    write: true,
  },
  'privacy.scan': {
    input: fileInput.extend({
      conversationIds: z.array(ConversationId).min(1).max(10_000).nullable().default(null),
      /** Also personal data (emails, phone numbers), not only credentials. */
      pii: z.boolean().default(false),
    }),
    output: result(ScanResult),
    write: false,
  },
  'privacy.redact': {
    // Findings of an issued scan, narrowed by rule or event; `count` is what the user was shown.
    input: fileInput.extend({
      scanId: z.string().max(100),
      rules: z.array(z.string().max(100)).max(100).nullable().default(null),
      eventIds: z.array(z.string().max(4096)).max(10_000).nullable().default(null),
      count: z.number().int().nonnegative(),
      /** Remove for good: no undo, no copy left in the journal, the -wal or caches. */
      shred: z.boolean().default(false),
      deleteBackups: z.boolean().default(false),
      vacuum: z.boolean().default(false),
    }),
    output: result(RedactResult),
    write: true,
  },
} as const

export type Contract = typeof contract
export type Channel = keyof Contract
export type Input<C extends Channel> = z.input<Contract[C]['input']>
export type ParsedInput<C extends Channel> = z.output<Contract[C]['input']>
export type Output<C extends Channel> = z.infer<Contract[C]['output']>
export const channels = Object.keys(contract) as Channel[]

/** Pushed by main when a file changed on disk (another program wrote to it). */
export const FileChanged = z.object({ fileId: FileId })
export type FileChanged = z.infer<typeof FileChanged>
export const FILE_CHANGED = 'files.changed'

type Split<C extends string> = C extends `${infer N}.${infer M}` ? [N, M] : never

/**
 * What an IPC call resolves to. Main never throws across IPC (Electron would prefix the message with
 * "Error invoking remote method …"): a refusal (wrong sender, invalid input) comes back as `error`,
 * which the renderer turns into an Error as it does for an HTTP error status; expected failures and a
 * cancelled confirmation are the channel's own `{ ok: false, reason, message }` output, as over HTTP.
 */
export type IpcReply<O> = { kind: 'ok'; output: O } | { kind: 'error'; message: string }

/** What the Electron preload exposes as `window.api`: one async function per channel, by namespace. */
export type Bridge = {
  [N in Split<Channel>[0]]: {
    [C in Channel as Split<C>[0] extends N ? Split<C>[1] : never]: (
      input: Input<C>,
    ) => Promise<IpcReply<Output<C>>>
  }
} & {
  onFileChanged(listener: (change: FileChanged) => void): () => void
  openDroppedFile(file: File): Promise<IpcReply<void>>
}
