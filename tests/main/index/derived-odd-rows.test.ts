import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { queryConversations } from '../../../src/main/index/conversation-query'
import { DerivedIndex } from '../../../src/main/index/derived-index'
import { find } from '../../../src/main/index/search-find'
import { SearchIndex } from '../../../src/main/search/search-index'
import { tempDir } from '../../helpers/files'
import { ODD_ROWS, oddRowFile } from '../../helpers/odd-rows'

// Every kind of hostile row a file can hold: the derived index and the search detail table must
// build, list both conversations and answer, never stop at the odd row.
describe.each(ODD_ROWS.map((o) => [o.kind, o] as const))('an odd row (%s)', (_kind, odd) => {
  it('is indexed with the rest, and both conversations are listed', () => {
    const path = oddRowFile(odd)
    const dir = join(tempDir(), 'search')
    const index = new DerivedIndex(path, dir)
    index.buildAll()
    expect(index.status().state).toBe('ready')
    const listed = queryConversations(index.db).conversations
    expect(listed.map((c) => c.conversation_id)).toContain('plain')
    expect(listed.reduce((n, c) => n + c.event_count, 0)).toBe(4)
    index.close()
    const search = new SearchIndex(path, dir)
    for (let i = 0; i < 1000 && !search.step(50); i++);
    expect(find(search.database, { text: 'there', limit: 5 }).total).toBe(1)
    search.close()
  })
})
