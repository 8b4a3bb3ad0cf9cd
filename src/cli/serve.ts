// chv serve: the app in a browser, over loopback HTTP, until Ctrl+C.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { HandlerHost } from '../main/api/handler-host'
import { appDataDir } from '../main/app-data-dir'
import { startServer, type RunningServer } from '../main/http/serve'
import { escapeControls } from './terminal-text'

export interface ServeFlags {
  port?: string
  host?: string
  open?: boolean
  write?: boolean
}

/** The built renderer beside the built CLI (out/renderer next to out/cli), and the database worker. */
export const RENDERER_DIR = join(import.meta.dirname, '../renderer')
const WORKER = join(import.meta.dirname, 'handler-worker.js')

/** Serves every file in `dbs` from one server: one address per file (`?file=` picks it in the page). */
export async function serve(
  dbs: readonly string[],
  flags: ServeFlags,
  fail: (message: string) => never,
): Promise<void> {
  if (!existsSync(join(RENDERER_DIR, 'index.html')))
    fail(`the app's pages are not built (${RENDERER_DIR}): run "npm run build" first`)
  const port = flags.port === undefined ? 0 : Number(flags.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    fail(`--port takes a port number, not "${flags.port}"`)
  const host = new HandlerHost(WORKER, {
    mode: flags.write ? 'write' : 'read',
    dataDir: appDataDir(),
    searchDir: join(appDataDir(), 'search'),
    allowWrite: flags.write ?? false,
  })
  const refs = []
  for (const db of dbs) {
    const ref = await host.add(db)
    // Open it now, so a bad file is reported before the server starts.
    const opened = await host.dispatch('files.info', { fileId: ref.fileId })
    const info = opened.kind === 'ok' ? (opened.output as { ok: boolean; message?: string }) : undefined
    if (!info?.ok) {
      await host.close()
      fail(info?.message ?? 'the file could not be opened')
    }
    refs.push(ref)
  }
  let server: RunningServer
  try {
    server = await startServer({
      dispatch: host.dispatch,
      files: () => host.files(),
      rendererDir: RENDERER_DIR,
      host: flags.host,
      port,
    })
  } catch (error) {
    await host.close()
    fail((error as Error).message)
  }
  const mode = flags.write ? 'read-write' : 'read-only'
  // The first file at the plain address (the page shows the first file when none is named).
  const urls = refs.map((ref, i) =>
    i === 0 ? server.url : `${server.origin}/?file=${ref.fileId}#token=${server.token}`,
  )
  for (const [i, ref] of refs.entries())
    process.stdout.write(`Serving ${escapeControls(ref.path)} (${mode}) at\n  ${urls[i]}\n`)
  process.stdout.write('Press Ctrl+C to stop.\n')
  if (flags.open) openInBrowser(urls)
  const stop = () => {
    void server
      .close()
      .then(() => host.close())
      .then(() => process.exit(0))
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

/** The command that opens a URL in the user's browser; undefined where there is no display to show it. */
export function browserCommand(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
): string[] | undefined {
  if (platform === 'darwin') return ['open']
  if (platform === 'win32') return ['cmd', '/c', 'start', '']
  // A headless machine (SSH, a server): xdg-open would fail, or start a text browser in our terminal.
  return env.DISPLAY || env.WAYLAND_DISPLAY ? ['xdg-open'] : undefined
}

function openInBrowser(urls: readonly string[]): void {
  let said = false
  const couldNot = (why: string) => {
    if (said) return // once, not once per address
    said = true
    process.stderr.write(`Could not open a browser (${why}); open the address above yourself.\n`)
  }
  const command = browserCommand()
  if (!command) {
    couldNot('no display here')
    return
  }
  const [program, ...args] = command
  for (const url of urls) {
    const child = spawn(program!, [...args, url], { detached: true, stdio: 'ignore' })
    child.on('error', (error) => couldNot(error.message))
    child.on('exit', (code) => {
      if (code) couldNot(`${program} exited with ${code}`)
    })
    child.unref()
  }
}
