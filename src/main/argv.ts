// Database paths given on a command line (first launch or a second instance's).
import { statSync } from 'node:fs'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const isFile = (path: string): boolean => {
  try {
    return statSync(path).isFile()
  } catch {
    return false
  }
}

/** A path, or a file:// URI (Linux desktops pass those for the .desktop file's %U), as a path. */
function asPath(arg: string, cwd: string): string | undefined {
  if (!/^file:/i.test(arg)) return resolve(cwd, arg)
  try {
    return fileURLToPath(arg)
  } catch {
    return undefined // file://otherhost/…, or not a URL at all
  }
}

/** Arguments after the executable (and the app folder in development) that name existing files. */
export function databasePathsFromArgv(argv: readonly string[], cwd: string, fileExists = isFile): string[] {
  return argv
    .slice(1)
    .filter((arg) => !arg.startsWith('-'))
    .map((arg) => asPath(arg, cwd))
    .filter((path): path is string => path !== undefined && fileExists(path))
}
