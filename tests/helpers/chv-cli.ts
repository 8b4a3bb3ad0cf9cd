import { spawn, spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

// CHV_CLI: a build elsewhere, for runs while others rebuild out/ in the same tree.
export const CHV = process.env.CHV_CLI ?? fileURLToPath(new URL('../../out/cli/chv.js', import.meta.url))

/** Runs chv with its data folder at `dataDir`. */
export function chv(dataDir: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [CHV, ...args], {
    encoding: 'utf8',
    env: { ...process.env, CHV_DATA_DIR: dataDir },
  })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

/** Starts chv and kills it (SIGKILL) after `ms`; resolves once it is gone. */
export async function killChvAfter(dataDir: string, args: string[], ms: number): Promise<void> {
  const child = spawn(process.execPath, [CHV, ...args], { env: { ...process.env, CHV_DATA_DIR: dataDir } })
  const closed = new Promise((resolve) => child.on('close', resolve))
  await new Promise((resolve) => setTimeout(resolve, ms))
  child.kill('SIGKILL')
  await closed
}
