// Which compiled better-sqlite3 to load. Node (chv, tests) uses the build npm put in node_modules; the
// Electron app has its own build elsewhere (Electron's ABI differs) and names it in this variable before
// it opens anything, so neither build ever replaces the other.
export const NATIVE_BINDING_ENV = 'CHV_SQLITE_BINDING'

/** better-sqlite3's `nativeBinding` option: undefined means its default lookup (the Node build). */
export function nativeBinding(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env[NATIVE_BINDING_ENV] || undefined
}
