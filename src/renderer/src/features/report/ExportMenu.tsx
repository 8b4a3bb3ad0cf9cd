import { useState } from 'react'
import { MenuButton } from '../../components/MenuButton'
import { call } from '../../lib/api'

const FORMATS = [
  { value: 'md', label: 'Markdown transcript', type: 'text/markdown' },
  { value: 'json', label: 'JSON (events as the chat app stores them)', type: 'application/json' },
  { value: 'jsonl', label: 'OpenAI messages (JSONL)', type: 'application/x-ndjson' },
] as const

/** Exports conversations as a download (the desktop app asks where to save it). */
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
    setError(null)
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
      <MenuButton
        label="Export"
        items={FORMATS.map((f) => ({ id: f.value, label: f.label }))}
        onChoose={(id) => void download(FORMATS.find((f) => f.value === id)!)}
      />
      {error && (
        <span className="badge error" role="alert">
          {error}
        </span>
      )}
    </>
  )
}
