// The one seam between the UI and the backend: Electron's preload bridge, or HTTP to `chv serve`.
import type { Bridge, Channel, FileChanged, Input, Output } from '../../../shared/api'

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
    invoke: (channel, input) => {
      const [namespace, name] = channel.split('.') as [string, string]
      return calls[namespace]![name]!(input) as Promise<never>
    },
    onFileChanged: (listener) => bridge.onFileChanged(listener),
    openDroppedFile: (file) => bridge.openDroppedFile(file),
  }
}

const TOKEN_KEY = 'chv-token'

/** The token `chv serve` printed in the address's fragment; kept for reloads, removed from the bar. */
function takeToken(): string {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('token')
  if (fromHash) {
    sessionStorage.setItem(TOKEN_KEY, fromHash)
    history.replaceState(null, '', location.pathname + location.search)
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? ''
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
      const body = (await response.json().catch(() => ({}))) as { error?: string }
      if (!response.ok) throw new Error(body.error ?? `The server answered ${response.status}.`)
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

/** What a call gives when it succeeds: the value of an `{ ok: true }` result, or the output itself. */
type Value<O> = O extends { ok: true; value: infer V } ? V : O extends { ok: false } ? never : O

/** Unwraps an expected-failure result, turning `{ ok: false }` into an Error with its message. */
export async function call<C extends Channel>(channel: C, input: Input<C>): Promise<Value<Output<C>>> {
  const result = (await api.invoke(channel, input)) as unknown
  if (typeof result === 'object' && result !== null && 'ok' in result) {
    const r = result as { ok: boolean; value?: unknown; message?: string }
    if (!r.ok) throw new Error(r.message)
    return r.value as never
  }
  return result as never
}
