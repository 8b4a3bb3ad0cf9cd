import { spawn, spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const SEED = fileURLToPath(new URL('../seed/run_seed.py', import.meta.url))

/** Runs a Python snippet (standard library only) with `args` as sys.argv[1:]; returns stdout. */
export function python(code: string, ...args: string[]): string {
  const result = spawnSync('python3', ['-c', code, ...args], { encoding: 'utf8' })
  if (result.status !== 0) throw new Error(`python failed (${result.status}): ${result.stderr}`)
  return result.stdout
}

/** Starts a Python snippet in the background; resolves with its exit code, stdout and stderr. */
export function pythonAsync(
  code: string,
  ...args: string[]
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('python3', ['-c', code, ...args])
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

/** Runs the seed's own SQLiteRepo (tests/seed) on `db` and returns its JSON answer. */
export function seed<T = unknown>(
  db: string,
  command: 'dump' | 'add' | 'call',
  args: unknown = [],
  method?: string,
): T {
  const argv = [SEED, command, db, ...(method ? [method] : [])]
  const result = spawnSync('python3', argv, { encoding: 'utf8', input: JSON.stringify(args) })
  if (result.status !== 0) throw new Error(`seed ${command} ${method ?? ''} failed: ${result.stderr}`)
  return JSON.parse(result.stdout) as T
}
