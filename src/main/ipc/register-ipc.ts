// The only place that calls ipcMain.handle: sender check, then input validation, then the handler.
import type { IpcMain, IpcMainInvokeEvent } from 'electron'
import { channels } from '../../shared/api'
import { dispatch } from '../api/dispatch'
import type { Handlers } from '../api/handlers'

/** Decides whether an invoke comes from our own window's top frame at our own origin. */
export type SenderCheck = (event: IpcMainInvokeEvent) => boolean

export function registerIpc(
  ipcMain: Pick<IpcMain, 'handle'>,
  handlers: Handlers,
  isTrustedSender: SenderCheck,
  allowWrite = false,
): void {
  for (const channel of channels) {
    ipcMain.handle(channel, (event, input: unknown) => {
      if (!isTrustedSender(event))
        throw new Error(`Refused "${channel}": the request did not come from the app's window.`)
      const result = dispatch(handlers, channel, input, allowWrite)
      if (result.kind !== 'ok') throw new Error(result.message)
      return result.output
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
      return origins.includes(new URL(frame.url).origin)
    } catch {
      return false
    }
  }
}
