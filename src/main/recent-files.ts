// Open Recent, kept in the app's data folder.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'

export const MAX_RECENT = 10

export class RecentFiles {
  private paths: string[]

  constructor(private readonly file: string) {
    this.paths = load(file)
  }

  list(): readonly string[] {
    return this.paths
  }

  /** Puts `path` first; the list keeps MAX_RECENT distinct paths. */
  add(path: string): void {
    this.paths = [path, ...this.paths.filter((p) => p !== path)].slice(0, MAX_RECENT)
    this.save()
  }

  clear(): void {
    this.paths = []
    this.save()
  }

  private save(): void {
    mkdirSync(dirname(this.file), { recursive: true })
    const partial = `${this.file}.partial`
    writeFileSync(partial, JSON.stringify({ paths: this.paths }, null, 2))
    renameSync(partial, this.file)
  }
}

/** A missing or unreadable list is an empty one: recent files are a convenience, never a failure. */
function load(file: string): string[] {
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as { paths?: unknown }
    return Array.isArray(data.paths)
      ? data.paths.filter((p): p is string => typeof p === 'string').slice(0, MAX_RECENT)
      : []
  } catch {
    return []
  }
}
