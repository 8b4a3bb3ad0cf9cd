import { describe, expect, it } from 'vitest'
import { confirmationFor, switchToWriting } from '../../src/main/write-confirmation'

const plan = (all: boolean) => ({
  all,
  maxRowid: 9,
  rows: 12,
  bytes: 100,
  conversations: [{ conversation_id: 'a', rows: 12, bytes: 100 }],
})

describe('the native confirmations', () => {
  it('say what will happen, and that a snapshot comes first', () => {
    expect(switchToWriting('x.db')).toMatchObject({
      message: 'Open x.db for writing?',
      confirmLabel: 'Allow writing',
    })
    expect(confirmationFor('delete.apply', { fileId: 'f1', plan: plan(false) }, 'x.db')).toEqual({
      message: 'Delete 1 conversation from x.db?',
      detail:
        '12 events will be deleted; events written meanwhile are kept. A snapshot is taken first, so this can be undone.',
      confirmLabel: 'Delete',
    })
    expect(confirmationFor('delete.apply', { fileId: 'f1', plan: plan(true) }, 'x.db')?.message).toBe(
      'Delete every conversation in x.db?',
    )
    const compaction = {
      fileId: 'f1',
      plan: {
        conversationId: null,
        maxRowid: 9,
        chunks: 7,
        bytes: 70,
        groups: [
          {
            conversation_id: 'a',
            user_request_id: 'r',
            chunks: 5,
            bytes: 50,
            first_seq: 1,
            last_seq: 5,
            newest_unix: 1,
            model: null,
            preview: '',
            streaming: false,
          },
          {
            conversation_id: 'b',
            user_request_id: 's',
            chunks: 2,
            bytes: 20,
            first_seq: 1,
            last_seq: 2,
            newest_unix: 1,
            model: null,
            preview: '',
            streaming: true,
          },
        ],
      },
    }
    expect(confirmationFor('cleanup.apply', compaction, 'x.db')).toMatchObject({
      message: 'Compact 1 streamed replies in x.db?',
      detail: expect.stringMatching(/^5 chunks become 1 assistant messages/),
    })
    expect(
      confirmationFor('snapshots.undo', { fileId: 'f1', snapshotPath: '/s.db' }, 'x.db')?.confirmLabel,
    ).toBe('Undo')
  })

  it('are not asked for input the handlers will refuse anyway', () => {
    expect(confirmationFor('delete.apply', { fileId: 'f1' }, 'x.db')).toBeUndefined()
  })
})
