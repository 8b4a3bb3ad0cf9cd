// Notices another program writing to a database: its file or its -wal changed (debounced).
import { watch } from 'node:fs'
import { basename, dirname } from 'node:path'

export function watchDatabase(path: string, onChange: () => void, debounceMs = 200): () => void {
  const names = new Set([basename(path), `${basename(path)}-wal`])
  let timer: NodeJS.Timeout | undefined
  // The folder, not the files: the -wal comes and goes, and a watched file replaced by rename goes quiet.
  const watcher = watch(dirname(path), (_event, filename) => {
    if (!filename || !names.has(String(filename))) return
    clearTimeout(timer)
    timer = setTimeout(onChange, debounceMs)
  })
  return () => {
    clearTimeout(timer)
    watcher.close()
  }
}
