// The one seam between the UI and the backend: Electron's preload bridge, or HTTP to `chv serve`.
import type {
  Bridge,
  Channel,
  FailureReason,
  FileChanged,
  Input,
  IpcReply,
  Output,
} from '../../../shared/api'

export interface Client {
  invoke<C extends Channel>(channel: C, input: Input<C>): Promise<Output<C>>
  onFileChanged(listener: (change: FileChanged) => void): () => void
  /** Electron only: open a file dropped on the window. */
  openDroppedFile?: (file: File) => Promise<void>
}

declare global {
  interface Window {
    api?: Bridge
  }
}

function electronClient(bridge: Bridge): Client {
  const calls = bridge as unknown as Record<string, Record<string, (input: unknown) => Promise<unknown>>>
  return {
    invoke: async (channel, input) => {
      const [namespace, name] = channel.split('.') as [string, string]
      return unwrap((await calls[namespace]![name]!(input)) as IpcReply<never>)
    },
    onFileChanged: (listener) => bridge.onFileChanged(listener),
    openDroppedFile: async (file) => unwrap(await bridge.openDroppedFile(file)),
  }
}

/** Main never throws across IPC: a refusal comes back as `{ kind: 'error' }`, an Error here as over HTTP. */
function unwrap<O>(reply: IpcReply<O>): O {
  if (reply.kind === 'error') throw new ApiError(reply.message)
  return reply.output
}

const TOKEN_KEY = 'chv-token'

/**
 * The token `chv serve` printed in the address's fragment, removed from the bar. Kept in this origin's
 * localStorage (the server's own loopback address and port), so a copied link, which carries no token,
 * opens in a new tab of the same browser; a new run's address replaces it.
 */
function takeToken(): string {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('token')
  if (fromHash) {
    localStorage.setItem(TOKEN_KEY, fromHash)
    history.replaceState(null, '', location.pathname + location.search)
  }
  return localStorage.getItem(TOKEN_KEY) ?? ''
}

function httpClient(): Client {
  const token = takeToken()
  return {
    async invoke(channel, input) {
      const response = await fetch(`/api/${channel}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-CHV-Token': token },
        body: JSON.stringify(input),
      })
      const body = (await response.json().catch(() => ({}))) as { error?: string; reason?: FailureReason }
      if (!response.ok)
        throw new ApiError(body.error ?? `The server answered ${response.status}.`, body.reason)
      return body as never
    },
    onFileChanged(listener) {
      const source = new EventSource(`/api/changes?token=${encodeURIComponent(token)}`)
      source.addEventListener('files.changed', (event) =>
        listener(JSON.parse((event as MessageEvent<string>).data)),
      )
      return () => source.close()
    },
  }
}

export const api: Client = window.api ? electronClient(window.api) : httpClient()

/** In a browser (`chv serve`), an address can be shared; the desktop app's `app://` ones cannot. */
export const inBrowser = !window.api

/** What a call gives when it succeeds: the value of an `{ ok: true }` result, or the output itself. */
type Value<O> = O extends { ok: true; value: infer V } ? V : O extends { ok: false } ? never : O

/** An expected failure from the backend; `reason` lets the UI offer the right way out (reopen, retry). */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly reason?: FailureReason,
  ) {
    super(message)
  }
}

/** The file is gone or is no longer the one that was opened: the page can only offer to open it again. */
export const FILE_GONE: readonly FailureReason[] = [
  'file_replaced',
  'not_found',
  'unknown_file',
  'cannot_open',
]

export const isFileGone = (error: unknown): boolean =>
  error instanceof ApiError && error.reason !== undefined && FILE_GONE.includes(error.reason)

/** Unwraps an expected-failure result, turning `{ ok: false }` into an ApiError with its message and reason. */
export async function call<C extends Channel>(channel: C, input: Input<C>): Promise<Value<Output<C>>> {
  const result = (await api.invoke(channel, input)) as unknown
  if (typeof result === 'object' && result !== null && 'ok' in result) {
    const r = result as { ok: boolean; value?: unknown; message?: string; reason?: FailureReason }
    if (!r.ok) throw new ApiError(r.message ?? 'The request failed.', r.reason)
    return r.value as never
  }
  return result as never
}
