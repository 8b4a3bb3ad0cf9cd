import { useState } from 'react'
import { call } from '../../lib/api'

const FORMATS = [
  { value: 'md', label: 'Markdown transcript', type: 'text/markdown' },
  { value: 'json', label: 'JSON (the seed’s events)', type: 'application/json' },
  { value: 'jsonl', label: 'OpenAI messages (JSONL)', type: 'application/x-ndjson' },
] as const

/** Exports the conversation as a download (the desktop app asks where to save it). */
export function ExportMenu({
  fileId,
  conversationIds,
  name,
}: {
  fileId: string
  conversationIds: string[]
  name: string
}) {
  const [error, setError] = useState<string | null>(null)
  const download = async (format: (typeof FORMATS)[number]) => {
    try {
      const text = await call('export.conversations', {
        fileId,
        conversationIds,
        format: format.value,
      })
      const url = URL.createObjectURL(new Blob([text], { type: format.type }))
      const link = document.createElement('a')
      link.href = url
      link.download = `${name}.${format.value}`
      link.click()
      setTimeout(() => URL.revokeObjectURL(url), 10_000)
    } catch (e) {
      setError((e as Error).message)
    }
  }
  return (
    <>
      <select
        aria-label="Export"
        value=""
        onChange={(e) => {
          const format = FORMATS.find((f) => f.value === e.target.value)
          if (format) void download(format)
        }}
      >
        <option value="">Export…</option>
        {FORMATS.map((f) => (
          <option key={f.value} value={f.value}>
            {f.label}
          </option>
        ))}
      </select>
      {error && <span className="badge error">{error}</span>}
    </>
  )
}
