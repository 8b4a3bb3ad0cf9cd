import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { previewOf } from '../../../src/main/db/conversation-list'
import { ChatRepository } from '../../../src/main/db/repository'
import type { ListCursor } from '../../../src/shared/api'
import { tempDir } from '../../helpers/files'

/** 60 conversations with many ties in time, interleaved rows, and one with no times at all. */
function busyHistory(): ChatRepository {
  const repo = ChatRepository.open(join(tempDir(), 'h.db'), { mode: 'create' })
  let state = 7
  const random = () => (state = (state * 48271) % 2147483647) / 2147483647
  repo.addEvents(
    Array.from({ length: 2000 }, (_, i) => ({
      conversation_id: `c${Math.floor(random() * 60)}`,
      type: i % 2 ? 'assistant_message' : 'user_message',
      content: `m${i}`,
      created_at: new Date(Date.UTC(2026, 0, 1) + Math.floor(random() * 40) * 1000),
    })),
  )
  repo.addEvent({ conversation_id: 'timeless', type: 'user_message', content: 'x' })
  repo.db.prepare("UPDATE chat_events SET created_at_unix = NULL WHERE conversation_id = 'timeless'").run()
  return repo
}

function pageAll(repo: ChatRepository, size: number, cursor: ListCursor | null = null) {
  const pages = []
  do {
    const page = repo.listConversationPage(size, cursor)
    pages.push(page.conversations)
    cursor = page.next
  } while (cursor)
  return pages.flat()
}

describe('conversation pages', () => {
  it('together list every conversation once, by last activity, with the seed`s last activity', () => {
    const repo = busyHistory()
    const all = repo.listConversationSummaries()
    for (const size of [1, 7, 100]) {
      const paged = pageAll(repo, size)
      expect(paged.map((c) => c.conversation_id).sort()).toEqual(all.map((c) => c.conversation_id).sort())
      const times = paged.map((c) => c.last_activity_unix ?? -Infinity)
      expect(times).toEqual([...times].sort((a, b) => b - a))
      expect(paged).toEqual(expect.arrayContaining(all))
    }
    expect(pageAll(repo, 5).at(-1)).toMatchObject({ conversation_id: 'timeless', last_activity_unix: null })
  })

  it('give the same next page from a cursor another process handed out', () => {
    const repo = busyHistory()
    const first = repo.listConversationPage(10)
    const fresh = ChatRepository.open(repo.path)
    expect(fresh.listConversationPage(10, first.next)).toEqual(repo.listConversationPage(10, first.next))
    expect(pageAll(fresh, 10, first.next)).toEqual(pageAll(repo, 10, first.next))
  })

  it('stay free of duplicates when the file changes between pages', () => {
    const repo = busyHistory()
    const first = repo.listConversationPage(10)
    const writer = ChatRepository.open(repo.path, { mode: 'write' })
    writer.addEvent({
      conversation_id: first.conversations[3]!.conversation_id,
      type: 'meta',
      content: 'new',
    })
    const ids = [...first.conversations, ...pageAll(repo, 10, first.next)].map((c) => c.conversation_id)
    expect(new Set(ids).size).toBe(ids.length)
  })
})

describe('previews', () => {
  it('show the first user message on one line, text parts of multimodal content, cut with an ellipsis', () => {
    expect(previewOf('  hello\n\n world ')).toBe('hello world')
    expect(previewOf('[{"type": "text", "text": "look"}, {"type": "image_url", "image_url": {}}]')).toBe(
      'look [image_url]',
    )
    expect(previewOf('[{"type": "text", "text": "cut \\"short\\" here"}, {"type": "te')).toBe(
      'cut "short" here',
    )
    expect(previewOf('[just text')).toBe('[just text')
    expect(previewOf('x'.repeat(500))).toBe(`${'x'.repeat(159)}…`)
    expect(previewOf(null)).toBe('')
  })
})

describe('after this connection`s own writes', () => {
  it('pages still list every conversation (its own changes do not move data_version)', () => {
    const repo = busyHistory()
    const writer = ChatRepository.open(repo.path, { mode: 'write' })
    const ids = () =>
      pageAll(writer, 7)
        .map((c) => c.conversation_id)
        .sort()
    const before = ids()
    // Replace a conversation's rows with new rows (new rowids), as an undo does.
    const victim = before[5]!
    const rows = writer.getEvents(victim)
    writer.db.prepare('DELETE FROM chat_events WHERE conversation_id = ?').run(victim)
    writer.addEvents(rows.map((e) => ({ ...e, id: `${e.id}-again` })))
    expect(ids()).toEqual(before)
  })
})
