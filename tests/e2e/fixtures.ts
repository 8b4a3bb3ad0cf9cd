// Databases the browser tests open: hostile content, big files, an empty history.
import { join } from 'node:path'
import { INSERT_EVENT_SQL, toInsertRow } from '../../src/main/db/event-row'
import { ChatRepository } from '../../src/main/db/repository'
import { tempDir } from '../helpers/files'
import { python } from '../helpers/python'

export const HOSTILE = 'hostile'
export const FIVE_MB = 5_000_000

/** Chat content trying everything a page must not do. */
export function hostileFile(): string {
  const repo = ChatRepository.open(join(tempDir(), 'hostile.db'), { mode: 'create' })
  const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s))
  repo.addEvents([
    {
      conversation_id: HOSTILE,
      type: 'user_message',
      role: 'user',
      created_at: at(1),
      content:
        '<script>window.__pwned = 1</script><img src="http://203.0.113.9/x.png" onerror="window.__pwned = 2">\n\n**bold** <b>raw html</b>',
    },
    {
      conversation_id: HOSTILE,
      type: 'assistant_message',
      role: 'assistant',
      created_at: at(2),
      content: [
        '[script link](javascript:window.__pwned=3) [data link](data:text/html,<script>alert(1)</script>)',
        '[safe link](https://example.com/ok) ![remote image](https://203.0.113.9/cat.png)',
        '<iframe src="https://203.0.113.9/frame"></iframe>',
        '```python\nimport os\nprint("hi")  # comment\n```',
      ].join('\n\n'),
    },
    { conversation_id: HOSTILE, type: 'mystery_event', role: null, created_at: at(3), content: 'what am I?' },
    {
      conversation_id: HOSTILE,
      type: 'assistant_message',
      role: 'assistant',
      created_at: at(4),
      content: 'x'.repeat(FIVE_MB),
    },
    {
      conversation_id: 'other',
      type: 'user_message',
      role: 'user',
      created_at: at(0),
      content: 'a calm conversation',
    },
  ])
  // Cells that are not valid JSON, written around the repository's serializer.
  repo.db.prepare(INSERT_EVENT_SQL).run({
    ...toInsertRow(
      {
        conversation_id: HOSTILE,
        type: 'assistant_message',
        role: 'assistant',
        content: 'broken cells',
        created_at: at(5),
      },
      6,
    ),
    tool_calls: '[{"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{"',
    raw: '{not json',
  })
  repo.close()
  return repo.path
}

/** `conversations` conversations of one message each, and one conversation of `longEvents` events. */
export function bigFile(conversations: number, longEvents: number): string {
  const repo = ChatRepository.open(join(tempDir(), 'big.db'), { mode: 'create' })
  const start = Date.UTC(2025, 0, 1)
  repo.addEvents(
    Array.from({ length: conversations }, (_, i) => ({
      conversation_id: `conv-${String(i).padStart(6, '0')}`,
      type: 'user_message',
      role: 'user',
      content: `Question number ${i}`,
      created_at: new Date(start + i * 1000),
    })),
  )
  repo.addEvents(
    Array.from({ length: longEvents }, (_, i) => ({
      conversation_id: 'long',
      type: i % 2 ? 'assistant_message' : 'user_message',
      role: i % 2 ? 'assistant' : 'user',
      content: `Event ${i + 1} of the long conversation`,
      created_at: new Date(start + (conversations + i) * 1000),
    })),
  )
  repo.close()
  return repo.path
}

export function emptyFile(): string {
  const repo = ChatRepository.open(join(tempDir(), 'empty.db'), { mode: 'create' })
  repo.close()
  return repo.path
}

/** Another program writing to the file, as the chat app does: a connection per event. */
export function appendEvent(db: string, conversation: string, content: string) {
  python(
    `import sqlite3, sys, uuid, datetime
c = sqlite3.connect(sys.argv[1])
seq = c.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM chat_events WHERE conversation_id = ?", (sys.argv[2],)).fetchone()[0]
now = datetime.datetime.now(datetime.timezone.utc)
c.execute("INSERT INTO chat_events (id, conversation_id, seq, schema_version, type, role, content, created_at, created_at_unix) VALUES (?, ?, ?, 1, 'user_message', 'user', ?, ?, ?)",
          (str(uuid.uuid4()), sys.argv[2], seq, sys.argv[3], now.isoformat(), int(now.timestamp())))
c.commit()`,
    db,
    conversation,
    content,
  )
}
