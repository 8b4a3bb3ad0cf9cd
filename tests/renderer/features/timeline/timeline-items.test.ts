import { describe, expect, it } from 'vitest'
import type { EventPreview } from '../../../../src/shared/api'
import { timelineItems, toolCallLinks } from '../../../../src/renderer/src/features/timeline/timeline-items'

let seq = 0
const ev = (
  type: string,
  content: string,
  extra: Record<string, string> = {},
  tool_calls: EventPreview['tool_calls'] = [],
): EventPreview => ({
  id: `e${++seq}`,
  conversation_id: 'c',
  seq,
  schema_version: 1,
  type,
  role: null,
  content,
  tool_calls,
  provider: null,
  model: null,
  stop_reason: null,
  created_at: '',
  extra,
  raw: null,
  content_length: content.length,
  content_truncated: false,
})
const delta = (urid: string, text: string) =>
  ev('meta', text, { kind: 'assistant_delta', user_request_id: urid })

describe('timeline items', () => {
  it('groups consecutive chunks of one reply, and nothing else', () => {
    const items = timelineItems([
      ev('user_message', 'q'),
      delta('r1', 'Hel'),
      delta('r1', 'lo'),
      delta('r2', 'other'),
      ev('meta', 'not a delta'),
      delta('r1', ' again'),
    ])
    expect(
      items.map((i) =>
        i.kind === 'deltas' ? `deltas:${i.userRequestId}:${i.events.length}:${i.text}` : i.event.type,
      ),
    ).toEqual(['user_message', 'deltas:r1:2:Hello', 'deltas:r2:1:other', 'meta', 'deltas:r1:1: again'])
  })

  it('links tool calls and results both ways, with the function called (to name it on the result)', () => {
    const call = ev('assistant_message', '', {}, [
      { id: 'call_1', type: 'function', function: { name: 'f', arguments: '{}' } },
      { id: 'call_2', type: 'function', function: { name: 'g', arguments: '{}' } },
    ])
    const result = ev('tool_result', 'ok', { tool_call_id: 'call_1' })
    const orphan = ev('tool_result', 'ok', { tool_call_id: 'call_9' })
    const links = toolCallLinks([call, result, orphan])
    expect(Object.fromEntries(links)).toEqual({
      call_1: { call: call.id, result: result.id, name: 'f' },
      call_2: { call: call.id, name: 'g' },
      call_9: { result: orphan.id },
    })
  })
})
