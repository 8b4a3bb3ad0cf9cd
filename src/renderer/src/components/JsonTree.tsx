// A collapsible view of a JSON value; every object and array can be copied as JSON.
import { count } from '../lib/format'
import { CopyButton } from './CopyButton'

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

function Leaf({ value }: { value: Json }) {
  if (value === null) return <span className="json-null">null</span>
  if (typeof value === 'string') return <span className="json-string">{JSON.stringify(value)}</span>
  return <span className={`json-${typeof value}`}>{String(value)}</span>
}

export function JsonTree({ value, name, open = false }: { value: unknown; name?: string; open?: boolean }) {
  const json = value as Json
  if (json === null || typeof json !== 'object') {
    return (
      <div className="json-row">
        {name !== undefined && <span className="json-key">{name}: </span>}
        <Leaf value={json} />
      </div>
    )
  }
  const entries = Array.isArray(json) ? json.map((v, i) => [String(i), v] as const) : Object.entries(json)
  const brackets = Array.isArray(json) ? ['[', ']'] : ['{', '}']
  return (
    <details className="json-node" open={open}>
      <summary>
        {name !== undefined && <span className="json-key">{name}: </span>}
        <span className="muted">
          {brackets[0]}
          {count(entries.length, Array.isArray(json) ? 'item' : 'key')}
          {brackets[1]}
        </span>
      </summary>
      {/* The copy button lives outside <summary>: a button inside it is a control inside a control. */}
      <div className="json-children">
        <CopyButton text={JSON.stringify(json, null, 2)} label={`Copy ${name ?? 'value'} as JSON`} />
        {entries.map(([key, child]) => (
          <JsonTree key={key} name={key} value={child} />
        ))}
      </div>
    </details>
  )
}
