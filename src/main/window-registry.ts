// One window per database: opening a path that is open (or still opening) focuses its window. Each
// window watches its file and tells its page when another program wrote to it.
import { resolve } from 'node:path'
import { FILE_CHANGED, type FileRef } from '../shared/api'

/** What the registry needs of a BrowserWindow (a fake in tests). */
export interface DatabaseWindow {
  /** webContents.id: what IPC events name the sender by. */
  readonly id: number
  focus(): void
  send(channel: string, payload: unknown): void
  onClosed(listener: () => void): void
}

export interface RegistryDeps<W extends DatabaseWindow> {
  /** Registers the file with the database worker and checks it opens; rejects with a message if not. */
  addFile(path: string): Promise<FileRef>
  /** Starts watching a file; returns the stop function. May throw (fs.watch: ENOSPC, EMFILE). */
  watch(path: string, onChange: () => void): () => void
  /** Makes the window and loads the page for `ref`. */
  createWindow(ref: FileRef): W
  /** After a window opened (recent files, the menu); a failure here leaves the window open. */
  opened?(ref: FileRef): void
  warn?(message: string): void
}

interface Entry<W> {
  window: W
  ref: FileRef
}

export class WindowRegistry<W extends DatabaseWindow> {
  private readonly byPath = new Map<string, Entry<W>>()
  private readonly byId = new Map<number, Entry<W>>()
  private readonly opening = new Map<string, Promise<W>>()

  constructor(private readonly deps: RegistryDeps<W>) {}

  /**
   * The window for `path`, focused: the open one, the one still opening (two quick double-clicks make
   * one window), or a new one, made only after every step that can fail (so a failure leaves none).
   * Undefined when joining an open that failed: that one rejects, so the failure is reported once.
   */
  async open(path: string): Promise<W | undefined> {
    const key = resolve(path)
    // Both looked up before any await: a second open in the same tick must see the first one.
    const existing = this.byPath.get(key)?.window
    const opening = this.opening.get(key)
    if (existing || opening) {
      const window = existing ?? (await opening!.catch(() => undefined))
      window?.focus()
      return window
    }
    const pending = this.create(key)
    this.opening.set(key, pending)
    try {
      return await pending
    } finally {
      this.opening.delete(key)
    }
  }

  private async create(path: string): Promise<W> {
    const ref = await this.deps.addFile(path)
    let window: W | undefined
    const stopWatching = this.deps.watch(ref.path, () => window?.send(FILE_CHANGED, { fileId: ref.fileId }))
    try {
      window = this.deps.createWindow(ref)
    } catch (error) {
      stopWatching()
      throw error
    }
    const entry = { window, ref }
    this.byPath.set(path, entry)
    this.byId.set(window.id, entry)
    const id = window.id
    window.onClosed(() => {
      stopWatching()
      this.byPath.delete(path)
      this.byId.delete(id)
    })
    try {
      this.deps.opened?.(ref)
    } catch (error) {
      this.deps.warn?.(`After opening ${ref.path}: ${(error as Error).message}`)
    }
    return window
  }

  has(contentsId: number): boolean {
    return this.byId.has(contentsId)
  }

  /** The file a window shows, by its webContents id. */
  fileOf(contentsId: number): FileRef | undefined {
    return this.byId.get(contentsId)?.ref
  }

  get size(): number {
    return this.byId.size
  }

  /** Focuses some window; false when none is open. */
  focusAny(): boolean {
    const first = this.byId.values().next().value
    first?.window.focus()
    return first !== undefined
  }
}
