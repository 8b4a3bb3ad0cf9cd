// The files the app has open, by an id it hands out: the UI never names a path itself.
import { basename, resolve } from 'node:path'
import type { FileRef } from '../../shared/api'
import { ChatRepository } from '../db/repository'
import type { OpenMode } from '../db/open-database'

interface OpenFile {
  ref: FileRef
  mode: OpenMode
  repo?: ChatRepository
}

export class FileRegistry {
  private readonly files = new Map<string, OpenFile>()
  private nextId = 1

  constructor(private readonly mode: OpenMode = 'read') {}

  /** Registers a path (once: the same path keeps its id). Opening waits until first use. */
  add(path: string): FileRef {
    const full = resolve(path)
    for (const file of this.files.values()) if (file.ref.path === full) return file.ref
    const ref = { fileId: `f${this.nextId++}`, path: full, name: basename(full) }
    this.files.set(ref.fileId, { ref, mode: this.mode })
    return ref
  }

  list(): FileRef[] {
    return [...this.files.values()].map((f) => f.ref)
  }

  ref(fileId: string): FileRef | undefined {
    return this.files.get(fileId)?.ref
  }

  /** The open repository of a registered file; throws DbError when the file cannot be opened. */
  repo(fileId: string): ChatRepository | undefined {
    const file = this.files.get(fileId)
    if (!file) return undefined
    file.repo ??= ChatRepository.open(file.ref.path, { mode: file.mode })
    return file.repo
  }

  /** From now on the file is opened for writing (the user agreed to switch). */
  makeWritable(fileId: string): void {
    const file = this.files.get(fileId)
    if (!file || file.mode !== 'read') return
    this.close(fileId)
    file.mode = 'write'
  }

  /** Closes the connection (kept registered: the next use reopens, e.g. after the file was replaced). */
  close(fileId: string): void {
    const file = this.files.get(fileId)
    file?.repo?.close()
    if (file) file.repo = undefined
  }

  closeAll(): void {
    for (const id of this.files.keys()) this.close(id)
  }
}
