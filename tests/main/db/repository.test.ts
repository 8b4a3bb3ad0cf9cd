import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { NewChatEvent } from '../../../src/shared/chat-event'
import { ChatRepository } from '../../../src/main/db/repository'
import { tempDir } from '../../helpers/files'

function newRepo(): ChatRepository {
  return ChatRepository.open(join(tempDir(), 'chat_history.db'), { mode: 'create' })
}

const msg = (
  conversation_id: string,
  type: string,
  content: NewChatEvent['content'],
  extra = {},
): NewChatEvent => ({
  conversation_id,
  type,
  role: type === 'user_message' ? 'user' : type === 'tool_result' ? 'tool' : 'assistant',
  content,
  extra,
})

const delta = (conversation_id: string, userRequestId: string, content: string): NewChatEvent =>
  msg(conversation_id, 'meta', content, { kind: 'assistant_delta', user_request_id: userRequestId })

describe('addEvent', () => {
  it('numbers events 1, 2, 3 per conversation and returns what it stored', () => {
    const repo = newRepo()
    const a1 = repo.addEvent(msg('a', 'user_message', 'hi'))
    const b1 = repo.addEvent(msg('b', 'user_message', 'hello'))
    const a2 = repo.addEvent(msg('a', 'assistant_message', 'hi there'))
    expect([a1?.seq, b1?.seq, a2?.seq]).toEqual([1, 1, 2])
    expect(repo.getEvents('a')).toEqual([a1, a2])
  })

  it('refuses a second event with the same extra.request_id in a conversation, not in another', () => {
    const repo = newRepo()
    expect(repo.addEvent(msg('a', 'user_message', 'one', { request_id: 'r1' }))).not.toBeNull()
    expect(repo.addEvent(msg('a', 'user_message', 'two', { request_id: 'r1' }))).toBeNull()
    expect(repo.addEvent(msg('b', 'user_message', 'three', { request_id: 'r1' }))).not.toBeNull()
    expect(repo.getEvents('a').map((e) => e.content)).toEqual(['one'])
  })

  it('refuses a second empty request id, which the file`s unique index would reject', () => {
    const repo = newRepo()
    expect(repo.addEvent(msg('a', 'user_message', 'one', { request_id: '' }))).not.toBeNull()
    expect(repo.addEvent(msg('a', 'user_message', 'two', { request_id: '' }))).toBeNull()
  })

  it('writes timestamps as Python isoformat with microseconds and created_at_unix in whole seconds', () => {
    const repo = newRepo()
    repo.addEvent({ ...msg('a', 'user_message', 'x'), created_at: new Date('2026-03-01T09:00:00.123Z') })
    const row = repo.db.prepare('SELECT created_at, created_at_unix FROM chat_events').get()
    expect(row).toEqual({ created_at: '2026-03-01T09:00:00.123000+00:00', created_at_unix: 1772355600 })
  })

  it('stores empty tool_calls, extra and raw as NULL and lists as JSON text', () => {
    const repo = newRepo()
    repo.addEvent({ ...msg('a', 'user_message', [{ type: 'text', text: 'é' }]), raw: {} })
    const row = repo.db.prepare('SELECT content, tool_calls, extra, raw FROM chat_events').get()
    expect(row).toEqual({
      content: '[{"type": "text", "text": "\\u00e9"}]',
      tool_calls: null,
      extra: null,
      raw: null,
    })
  })

  it('inserts a batch in one transaction with the same numbering and duplicate rule', () => {
    const repo = newRepo()
    const stored = repo.addEvents([
      msg('a', 'user_message', '1', { request_id: 'r' }),
      msg('a', 'user_message', 'dup', { request_id: 'r' }),
      msg('a', 'assistant_message', '2'),
    ])
    expect(stored).toEqual([true, false, true])
    expect(repo.getEvents('a').map((e) => [e.seq, e.content])).toEqual([
      [1, '1'],
      [2, '2'],
    ])
  })
})

describe('reading events', () => {
  it('getEvents orders by seq; a limit of 0 means no limit, as the seed`s `if limit:`', () => {
    const repo = newRepo()
    for (const c of ['1', '2', '3']) repo.addEvent(msg('a', 'user_message', c))
    expect(repo.getEvents('a', 2).map((e) => e.content)).toEqual(['1', '2'])
    expect(repo.getEvents('a', 0)).toHaveLength(3)
    expect(repo.getEvents('missing')).toEqual([])
  })

  it('getConversationHistory keeps messages, tool results and system updates visible to the model', () => {
    const repo = newRepo()
    repo.addEvents([
      msg('a', 'user_message', 'u'),
      msg('a', 'system_update', 'shown', { visible_to_model: true }),
      msg('a', 'system_update', 'hidden', { visible_to_model: false }),
      msg('a', 'system_update', 'unmarked'),
      delta('a', 'r', 'chunk'),
      msg('a', 'tool_result', 'result', { tool_call_id: 'c1' }),
      msg('a', 'assistant_message', 'reply'),
    ])
    expect(repo.getConversationHistory('a').map((e) => e.content)).toEqual(['u', 'shown', 'result', 'reply'])
    expect(repo.getConversationHistory('a', 2).map((e) => e.content)).toEqual(['u', 'shown'])
  })

  it('pages events by seq with content cut to a size, reporting the full length', () => {
    const repo = newRepo()
    repo.addEvents([msg('a', 'user_message', 'x'.repeat(5000)), msg('a', 'assistant_message', '[1, 2]')])
    const page = repo.getEventPage('a', { limit: 1, contentChars: 100 })
    expect(page.events[0]).toMatchObject({ seq: 1, content_length: 5000, content_truncated: true })
    expect(page.events[0]!.content).toBe('x'.repeat(100))
    const next = repo.getEventPage('a', { afterSeq: page.nextAfterSeq!, limit: 1, contentChars: 100 })
    expect(next.events[0]).toMatchObject({ seq: 2, content: [1, 2], content_truncated: false })
  })

  it('finds events by request id and the last assistant reply to a user request', () => {
    const repo = newRepo()
    repo.addEvent(msg('a', 'user_message', 'q', { request_id: 'r1' }))
    repo.addEvent(msg('a', 'assistant_message', 'first', { user_request_id: 'r1' }))
    const second = repo.addEvent(msg('a', 'assistant_message', 'second', { user_request_id: 'r1' }))
    expect(repo.getEventByRequestId('a', 'r1')?.content).toBe('q')
    expect(repo.getEventByRequestId('a', 'nope')).toBeNull()
    expect(repo.getLastAssistantReplyId('a', 'r1')).toBe(second?.id)
    expect(repo.getLastAssistantReplyId('a', 'r2')).toBeNull()
    expect(repo.getExistingAssistantResponse('a', 'r1')).toEqual(second)
  })
})

describe('listConversations', () => {
  it('orders by last activity, newest first', () => {
    const repo = newRepo()
    const at = (iso: string) => new Date(iso)
    repo.addEvent({ ...msg('old', 'user_message', 'x'), created_at: at('2026-01-01T00:00:00Z') })
    repo.addEvent({ ...msg('new', 'user_message', 'x'), created_at: at('2026-01-03T00:00:00Z') })
    repo.addEvent({ ...msg('mid', 'user_message', 'x'), created_at: at('2026-01-02T00:00:00Z') })
    repo.addEvent({ ...msg('old', 'assistant_message', 'late'), created_at: at('2026-01-04T00:00:00Z') })
    expect(repo.listConversations()).toEqual(['old', 'new', 'mid'])
    expect(repo.listConversationSummaries()[0]).toEqual({
      conversation_id: 'old',
      last_activity_unix: Date.UTC(2026, 0, 4) / 1000,
      event_count: 2,
      preview: 'x',
    })
  })
})

describe('compactDeltas', () => {
  it('replaces one reply`s deltas with one assistant message, and only those', () => {
    const repo = newRepo()
    repo.addEvents([
      msg('a', 'user_message', 'q', { request_id: 'r1' }),
      delta('a', 'r1', 'Hel'),
      delta('a', 'r2', 'other'),
      delta('a', 'r1', 'lo'),
    ])
    const reply = repo.compactDeltas('a', 'r1', 'Hello', 'gpt-4o')
    expect(reply).toMatchObject({
      type: 'assistant_message',
      role: 'assistant',
      content: 'Hello',
      model: 'gpt-4o',
      seq: 4, // numbered after the deltas are gone, as in the seed
      extra: { user_request_id: 'r1', request_id: 'assistant:r1' },
    })
    expect(repo.getEvents('a').map((e) => e.content)).toEqual(['q', 'other', 'Hello'])
  })

  it('is idempotent: a second call returns the first result and changes nothing', () => {
    const repo = newRepo()
    repo.addEvents([delta('a', 'r1', 'x')])
    const first = repo.compactDeltas('a', 'r1', 'x')
    repo.addEvent(delta('a', 'r1', 'late'))
    expect(repo.compactDeltas('a', 'r1', 'different')).toEqual(first)
    expect(repo.getEvents('a')).toHaveLength(2)
  })

  it('rolls back the delete when the insert fails', () => {
    const repo = newRepo()
    repo.addEvents([delta('a', 'r1', 'x'), delta('a', 'r1', 'y')])
    repo.db.exec(`CREATE TRIGGER no_replies BEFORE INSERT ON chat_events WHEN NEW.type = 'assistant_message'
      BEGIN SELECT RAISE(ABORT, 'refused'); END`)
    expect(() => repo.compactDeltas('a', 'r1', 'xy')).toThrow('refused')
    expect(repo.getEvents('a')).toHaveLength(2)
  })
})

describe('the chat app`s entry points', () => {
  it('clearAll deletes everything', () => {
    const repo = newRepo()
    repo.addEvents([msg('a', 'user_message', 'x'), msg('b', 'user_message', 'y')])
    expect(repo.clearAll()).toBe(true)
    expect(repo.listConversations()).toEqual([])
  })

  it('handleUserMessagePersistence stores a message once and says false when a reply exists', () => {
    const repo = newRepo()
    expect(repo.handleUserMessagePersistence('a', 'hi', 'r1')).toBe(true)
    // A retry of the same request before any reply: nothing new stored, still true (the seed's answer).
    expect(repo.handleUserMessagePersistence('a', 'hi', 'r1')).toBe(true)
    expect(repo.getEvents('a')).toHaveLength(1)
    repo.persistAssistantMessage('a', 'r1', 'hello', 'gpt-4o')
    expect(repo.handleUserMessagePersistence('a', 'hi', 'r1')).toBe(false)
    expect(repo.getEvents('a')).toHaveLength(2)
  })

  it('persistAssistantMessage collapses an exactly doubled text, counting code points', () => {
    const repo = newRepo()
    expect(repo.persistAssistantMessage('a', 'r', 'PongPong', 'm')?.content).toBe('Pong')
    expect(repo.persistAssistantMessage('a', 'r', '👋x👋x', 'm')?.content).toBe('👋x')
    expect(repo.persistAssistantMessage('a', 'r', 'abcab', 'm')?.content).toBe('abcab')
    expect(repo.persistAssistantMessage('a', 'r', 'ab', 'm', 'openai')).toMatchObject({
      content: 'ab',
      provider: 'openai',
      model: 'm',
      extra: { user_request_id: 'r' },
    })
  })
})

describe('buildLlmConversation', () => {
  it('puts the system prompt first and the new user message last', () => {
    const repo = newRepo()
    repo.addEvents([
      msg('a', 'user_message', 'q1'),
      msg('a', 'system_update', 'note', { visible_to_model: true }),
      msg('a', 'assistant_message', null),
    ])
    expect(repo.buildLlmConversation('a', 'q2', 'sys')).toEqual([
      { role: 'system', content: 'sys' },
      { role: 'user', content: 'q1' },
      { role: 'assistant', content: '' },
      { role: 'user', content: 'q2' },
    ])
  })

  it('sends the first 50 model-visible events, as the seed`s ORDER BY seq LIMIT 50 does', () => {
    const repo = newRepo()
    repo.addEvents(Array.from({ length: 60 }, (_, i) => msg('a', 'user_message', `m${i}`)))
    const sent = repo.buildLlmConversation('a', 'now', 'sys')
    expect(sent).toHaveLength(52)
    expect(sent[50]).toEqual({ role: 'user', content: 'm49' })
  })

  it('drops tool results: the seed only keeps them after an assistant message with tool_calls, which it never builds', () => {
    const repo = newRepo()
    repo.addEvents([
      msg('a', 'user_message', 'weather?'),
      {
        ...msg('a', 'assistant_message', ''),
        tool_calls: [{ id: 'c1', type: 'function', function: { name: 'wx', arguments: '{}' } }],
      },
      msg('a', 'tool_result', 'sunny', { tool_call_id: 'c1' }),
    ])
    expect(repo.buildLlmConversation('a', 'thanks', 'sys').map((m) => m.role)).toEqual([
      'system',
      'user',
      'assistant',
      'user',
    ])
  })

  it('prints list content as Python would (str of the list)', () => {
    const repo = newRepo()
    repo.addEvent(
      msg('a', 'user_message', [
        { type: 'text', text: "it's" },
        { n: 1.5, ok: true, none: null },
      ]),
    )
    expect(repo.buildLlmConversation('a', 'x', 's')[1]!.content).toBe(
      `[{'type': 'text', 'text': "it's"}, {'n': 1.5, 'ok': True, 'none': None}]`,
    )
  })
})
