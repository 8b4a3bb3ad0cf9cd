import { describe, expect, it } from 'vitest'
import type { JsonValue } from '../../../src/shared/chat-event'
import { pyJsonDumps, pyStr } from '../../../src/main/db/py-json'
import { python } from '../../helpers/python'

const SAMPLES: JsonValue[] = [
  [
    { type: 'text', text: 'Café 👋 "q" \\ \n\t' },
    { n: 1.5, big: 1e21, small: 1e-7, neg: -3, ok: false, none: null },
  ],
  ["it's", 'both \' and "', 'tab\there', '\u00a0nbsp', '\u200bzwsp', 'ελληνικά'],
  { nested: { list: [[], {}, ''] } },
]

describe('Python text of JSON values', () => {
  it('json.dumps and str() give the same text in Python', () => {
    const theirs = JSON.parse(
      python(
        'import json,sys; v=json.loads(sys.argv[1]); print(json.dumps([[json.dumps(x), str(x)] for x in v]))',
        JSON.stringify(SAMPLES),
      ),
    ) as [string, string][]
    expect(SAMPLES.map((v) => [pyJsonDumps(v), pyStr(v)])).toEqual(theirs)
  })
})
