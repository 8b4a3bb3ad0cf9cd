// What every transport does with a request: a known channel, writes only when allowed, valid input.
import { z } from 'zod'
import { contract, type Channel } from '../../shared/api'
import type { Handlers } from './handlers'

export type Dispatched =
  | { kind: 'ok'; output: unknown }
  | { kind: 'unknown_channel'; message: string }
  | { kind: 'writes_disabled'; message: string }
  | { kind: 'bad_input'; message: string }

export const isChannel = (name: string): name is Channel => Object.hasOwn(contract, name)

export function dispatch(
  handlers: Handlers,
  channel: string,
  input: unknown,
  allowWrite: boolean,
): Dispatched {
  if (!isChannel(channel)) return { kind: 'unknown_channel', message: `Unknown operation "${channel}".` }
  const entry = contract[channel]
  if (entry.write && !allowWrite) {
    return { kind: 'writes_disabled', message: `"${channel}" changes the file, and writing is not enabled.` }
  }
  const parsed = entry.input.safeParse(input)
  if (!parsed.success) {
    return { kind: 'bad_input', message: `Invalid input for "${channel}": ${z.prettifyError(parsed.error)}` }
  }
  const handler = handlers[channel] as (input: unknown) => unknown
  return { kind: 'ok', output: handler(parsed.data) }
}
