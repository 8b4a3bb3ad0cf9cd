import { beforeEach, describe, expect, it, vi } from 'vitest'
import { channels } from '../../src/shared/api'

const exposed: Record<string, unknown> = {}
const invoke = vi.fn()

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) },
  ipcRenderer: { invoke: (...args: unknown[]) => invoke(...args), on: vi.fn(), removeListener: vi.fn() },
  webUtils: { getPathForFile: () => '/dropped.db' },
}))

beforeEach(() => invoke.mockClear())

describe('the preload', () => {
  it('exposes exactly one named call per contract channel, each invoking that channel', async () => {
    await import('../../src/preload/index')
    const api = exposed.api as Record<string, Record<string, (input: unknown) => unknown> | unknown>
    const named = Object.entries(api).flatMap(([namespace, calls]) =>
      typeof calls === 'object' && calls !== null
        ? Object.keys(calls).map((name) => `${namespace}.${name}`)
        : [],
    )
    expect(named.sort()).toEqual([...channels].sort())
    for (const channel of named) {
      const [namespace, name] = channel.split('.') as [string, string]
      ;(api[namespace] as Record<string, (input: unknown) => unknown>)[name]!({ probe: channel })
      expect(invoke).toHaveBeenLastCalledWith(channel, { probe: channel })
    }
    expect(
      Object.keys(api)
        .filter((k) => typeof api[k] === 'function')
        .sort(),
    ).toEqual(['onFileChanged', 'openDroppedFile'])
    expect(JSON.stringify(Object.keys(api))).not.toContain('ipcRenderer')
  })
})
