// The only place that calls ipcMain.handle: sender check, then input validation, then the handler.
// Every handler resolves to an IpcReply and never throws: Electron would send a thrown error's message
// prefixed with "Error invoking remote method '…': Error:", and the UI would show that to the user.
import type { IpcMain, IpcMainInvokeEvent } from 'electron'
import { z } from 'zod'
import { channels, contract, type Channel, type Failure, type IpcReply } from '../../shared/api'
import type { Dispatcher } from '../api/handler-host'

/** Decides whether an invoke comes from our own window's top frame at our own origin. */
export type SenderCheck = (event: IpcMainInvokeEvent) => boolean

/** A call only the Electron shell answers (not part of the contract the browser shares). */
export interface ShellChannel<T> {
  input: z.ZodType<T>
  handle(event: IpcMainInvokeEvent, input: T): unknown
}

/**
 * Main's answer before an operation that changes a file (a native dialog, so script in the page cannot
 * confirm for the user): go on, or a failure to return instead (Cancel, or the switch to writing failed).
 */
export type WriteDecision = { go: true } | { go: false; failure: Failure }

export interface IpcOptions {
  isTrustedSender: SenderCheck
  /** Asked before every operation that changes a file. Without it, such operations are refused. */
  confirmWrite?: (event: IpcMainInvokeEvent, channel: Channel, input: unknown) => Promise<WriteDecision>
  shell?: Record<string, ShellChannel<string>>
}

export const CANCELLED: Failure = {
  ok: false,
  reason: 'cancelled',
  message: 'Cancelled: nothing was changed.',
}

const error = (message: string): IpcReply<never> => ({ kind: 'error', message })

/** The message of anything thrown, for a reply (a worker that stopped, a dialog that failed, …). */
const messageOf = (thrown: unknown) => (thrown instanceof Error ? thrown.message : String(thrown))

export function registerIpc(
  ipcMain: Pick<IpcMain, 'handle'>,
  dispatch: Dispatcher,
  options: IpcOptions,
): void {
  const refused = (channel: string, event: IpcMainInvokeEvent) =>
    options.isTrustedSender(event)
      ? undefined
      : error(`Refused "${channel}": the request did not come from the app's window.`)

  async function call(
    channel: Channel,
    event: IpcMainInvokeEvent,
    input: unknown,
  ): Promise<IpcReply<unknown>> {
    if (contract[channel].write) {
      if (!options.confirmWrite) {
        const message = `"${channel}" changes the file, and writing is not enabled.`
        return { kind: 'ok', output: { ok: false, reason: 'writes_disabled', message } satisfies Failure }
      }
      const decision = await options.confirmWrite(event, channel, input)
      if (!decision.go) return { kind: 'ok', output: decision.failure }
    }
    const result = await dispatch(channel, input)
    return result.kind === 'ok' ? { kind: 'ok', output: result.output } : error(result.message)
  }

  for (const channel of channels) {
    ipcMain.handle(channel, async (event, input: unknown): Promise<IpcReply<unknown>> => {
      try {
        return refused(channel, event) ?? (await call(channel, event, input))
      } catch (thrown) {
        return error(messageOf(thrown))
      }
    })
  }
  for (const [channel, entry] of Object.entries(options.shell ?? {})) {
    ipcMain.handle(channel, async (event, input: unknown): Promise<IpcReply<unknown>> => {
      try {
        const refusal = refused(channel, event)
        if (refusal) return refusal
        const parsed = entry.input.safeParse(input)
        if (!parsed.success) return error(`Invalid input for "${channel}": ${z.prettifyError(parsed.error)}`)
        return { kind: 'ok', output: await entry.handle(event, parsed.data) }
      } catch (thrown) {
        return error(messageOf(thrown))
      }
    })
  }
}

/** The sender check for our windows: the top frame, loaded from one of `origins`. */
export function senderCheck(
  isOurWindow: (contentsId: number) => boolean,
  origins: readonly string[],
): SenderCheck {
  return (event) => {
    const frame = event.senderFrame
    if (!frame || frame.parent !== null || !isOurWindow(event.sender.id)) return false
    try {
      // Not URL.origin: Node gives "null" as the origin of custom schemes such as app://.
      const url = new URL(frame.url)
      return origins.includes(`${url.protocol}//${url.host}`)
    } catch {
      return false
    }
  }
}
