// Where the Electron build of better-sqlite3 lives: beside npm's Node build, never in its place, so
// `npm test` (Node) and `npm start` (Electron) never rebuild each other's binary. The file name carries
// every version the build depends on: a build for another Electron or better-sqlite3 is never loaded.
import { join } from 'node:path'

export interface BindingTarget {
  electron: string
  betterSqlite3: string
  platform: string
  arch: string
}

/** Under node_modules, so `npm ci` (which starts node_modules afresh) removes a build for older versions. */
export const ELECTRON_BINDING_DIR = '.chv-electron'

export function electronBindingName(target: BindingTarget): string {
  const { betterSqlite3, electron, platform, arch } = target
  return `better_sqlite3-${betterSqlite3}-electron-${electron}-${platform}-${arch}.node`
}

/**
 * In development node_modules/.chv-electron/NAME; in a packaged app RESOURCES/native/NAME (where
 * electron-builder.yml's extraResources copies it, outside the asar: a native module cannot load from it).
 */
export function electronBindingPath(
  target: BindingTarget,
  where: { nodeModules: string } | { resources: string },
): string {
  const name = electronBindingName(target)
  return 'resources' in where
    ? join(where.resources, 'native', name)
    : join(where.nodeModules, ELECTRON_BINDING_DIR, name)
}
