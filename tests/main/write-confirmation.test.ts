import { describe, expect, it } from 'vitest'
import { confirmationFor, switchToWriting } from '../../src/main/write-confirmation'

describe('the native confirmations', () => {
  it('say what will happen, and that it is recorded for undo first', () => {
    expect(switchToWriting('x.db')).toMatchObject({
      message: 'Open x.db for writing?',
      confirmLabel: 'Allow writing',
    })
    const deletion = { fileId: 'f1', planId: 'p', all: false, conversations: 1, rows: 12 }
    expect(confirmationFor('delete.apply', deletion, 'x.db')).toEqual({
      message: 'Delete 1 conversation from x.db?',
      detail:
        '12 events will be deleted; events written meanwhile are kept. They are recorded in the undo journal first, so this can be undone.',
      confirmLabel: 'Delete',
    })
    expect(
      confirmationFor('delete.apply', { ...deletion, all: true, conversations: 3 }, 'x.db'),
    ).toMatchObject({
      message: 'Delete every conversation in x.db?',
      detail: expect.stringMatching(/and a full backup is taken, so this can be undone\.$/),
    })
    expect(
      confirmationFor('cleanup.apply', { fileId: 'f1', planId: 'p', replies: 1, chunks: 5 }, 'x.db'),
    ).toMatchObject({
      message: 'Compact 1 streamed reply in x.db?',
      detail: expect.stringMatching(/^5 chunks become 1 assistant message, each where it was streamed/),
    })
    expect(
      confirmationFor('cleanup.apply', { fileId: 'f1', planId: 'p', replies: 1200, chunks: 5000 }, 'x.db')
        ?.message,
    ).toBe('Compact 1,200 streamed replies in x.db?')
    expect(confirmationFor('delete.apply', { ...deletion, shred: true }, 'x.db')).toMatchObject({
      message: 'Delete 1 conversation in x.db for good?',
      confirmLabel: 'Delete for good',
    })
    expect(
      confirmationFor('privacy.redact', { fileId: 'f1', scanId: 's', count: 3, shred: true }, 'x.db'),
    ).toMatchObject({
      message: 'Remove 3 secrets in x.db for good?',
      detail: expect.stringMatching(/cannot be undone/),
    })
    expect(confirmationFor('undo.apply', { fileId: 'f1', entryId: 3 }, 'x.db')?.confirmLabel).toBe('Undo')
    expect(confirmationFor('vacuum.apply', { fileId: 'f1' }, 'x.db')?.detail).toMatch(
      /full backup is taken first/,
    )
  })

  it('are not asked for input the handlers will refuse anyway', () => {
    expect(confirmationFor('delete.apply', { fileId: 'f1' }, 'x.db')).toBeUndefined()
    expect(confirmationFor('cleanup.apply', { fileId: 'f1', plan: {} }, 'x.db')).toBeUndefined()
  })
})
