// The only place that calls ipcMain.handle: sender check, then input validation, then the handler.
import type { IpcMain, IpcMainInvokeEvent } from 'electron'
import { z } from 'zod'
import { channels, contract, type Channel } from '../../shared/api'
import type { Dispatcher } from '../api/handler-host'

/** Decides whether an invoke comes from our own window's top frame at our own origin. */
export type SenderCheck = (event: IpcMainInvokeEvent) => boolean

/** A call only the Electron shell answers (not part of the contract the browser shares). */
export interface ShellChannel<T> {
  input: z.ZodType<T>
  handle(event: IpcMainInvokeEvent, input: T): unknown
}

export interface IpcOptions {
  isTrustedSender: SenderCheck
  /**
   * Asked before every operation that changes a file (main shows a native dialog, so script in the
   * page cannot confirm for the user); false cancels it. Without it, such operations are refused.
   */
  confirmWrite?: (event: IpcMainInvokeEvent, channel: Channel, input: unknown) => Promise<boolean>
  shell?: Record<string, ShellChannel<string>>
}

export function registerIpc(
  ipcMain: Pick<IpcMain, 'handle'>,
  dispatch: Dispatcher,
  options: IpcOptions,
): void {
  const guard = (channel: string, event: IpcMainInvokeEvent) => {
    if (!options.isTrustedSender(event))
      throw new Error(`Refused "${channel}": the request did not come from the app's window.`)
  }
  for (const channel of channels) {
    ipcMain.handle(channel, async (event, input: unknown) => {
      guard(channel, event)
      if (contract[channel].write) {
        if (!options.confirmWrite)
          throw new Error(`"${channel}" changes the file, and writing is not enabled.`)
        if (!(await options.confirmWrite(event, channel, input)))
          throw new Error('Cancelled: nothing was changed.')
      }
      const result = await dispatch(channel, input)
      if (result.kind !== 'ok') throw new Error(result.message)
      return result.output
    })
  }
  for (const [channel, entry] of Object.entries(options.shell ?? {})) {
    ipcMain.handle(channel, (event, input: unknown) => {
      guard(channel, event)
      const parsed = entry.input.safeParse(input)
      if (!parsed.success) throw new Error(`Invalid input for "${channel}": ${z.prettifyError(parsed.error)}`)
      return entry.handle(event, parsed.data)
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
