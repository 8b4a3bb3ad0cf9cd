// Notices another program writing to a database: its file or its -wal changed (debounced).
import { watch, type FSWatcher } from 'node:fs'
import { basename, dirname } from 'node:path'

export function watchDatabase(path: string, onChange: () => void, debounceMs = 200): () => void {
  const names = new Set([basename(path), `${basename(path)}-wal`])
  let timer: NodeJS.Timeout | undefined
  const changed = () => {
    clearTimeout(timer)
    timer = setTimeout(onChange, debounceMs)
  }
  // The folder, not the files: the -wal comes and goes, and a watched file replaced by rename goes quiet.
  let watcher: FSWatcher
  try {
    watcher = watch(dirname(path), (_event, filename) => {
      if (filename && names.has(String(filename))) changed()
    })
  } catch {
    // The folder is gone: nothing to watch. Say "changed" once, so readers ask and learn the file is gone.
    changed()
    return () => clearTimeout(timer)
  }
  // The folder removed while watched: an 'error' event, which would end the process if not handled.
  watcher.on('error', () => {
    watcher.close()
    changed()
  })
  return () => {
    clearTimeout(timer)
    watcher.close()
  }
}
