// The files the app has open, by an id it hands out: the UI never names a path itself.
import { basename, resolve } from 'node:path'
import type { FileRef } from '../../shared/api'
import { DbError } from '../db/errors'
import { ChatRepository } from '../db/repository'
import { fileIdentity, type FileIdentity, type OpenMode } from '../db/open-database'

interface OpenFile {
  ref: FileRef
  mode: OpenMode
  repo?: ChatRepository
  /** The file the connection reads, to notice when another one took its path. */
  identity?: FileIdentity
}

const identityAt = (path: string): FileIdentity | undefined => {
  try {
    return fileIdentity(path)
  } catch {
    return undefined
  }
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

  /**
   * The open repository of a registered file; throws DbError when the file cannot be opened, or is no
   * longer the file that was opened (its old connection would go on reading the old content unseen).
   */
  repo(fileId: string): ChatRepository | undefined {
    const file = this.files.get(fileId)
    if (!file) return undefined
    if (file.repo) this.assertStillThere(file)
    if (!file.repo) {
      file.repo = ChatRepository.open(file.ref.path, { mode: file.mode })
      file.identity = identityAt(file.ref.path)
    }
    return file.repo
  }

  /** Said once: the stale connection is closed, so the next call (the page's Reopen) reads what is there now. */
  private assertStillThere(file: OpenFile): void {
    const now = identityAt(file.ref.path)
    if (now && now.dev === file.identity?.dev && now.ino === file.identity.ino) return
    this.close(file.ref.fileId)
    if (now)
      throw new DbError(
        'file_replaced',
        `${file.ref.path} was replaced by another file since it was opened; reopen it to read the new one.`,
      )
    throw new DbError('not_found', `${file.ref.path} was deleted or moved since it was opened.`)
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
