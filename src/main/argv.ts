// Database paths given on a command line (first launch or a second instance's).
import { statSync } from 'node:fs'
import { resolve } from 'node:path'

const isFile = (path: string): boolean => {
  try {
    return statSync(path).isFile()
  } catch {
    return false
  }
}

/** Arguments after the executable (and the app folder in development) that name existing files. */
export function databasePathsFromArgv(argv: readonly string[], cwd: string, fileExists = isFile): string[] {
  return argv
    .slice(1)
    .filter((arg) => !arg.startsWith('-'))
    .map((arg) => resolve(cwd, arg))
    .filter((path) => fileExists(path))
}
