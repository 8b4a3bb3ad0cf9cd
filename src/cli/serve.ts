// chv serve: the app in a browser, over loopback HTTP, until Ctrl+C.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { HandlerHost } from '../main/api/handler-host'
import { appDataDir } from '../main/app-data-dir'
import { startServer, type RunningServer } from '../main/http/serve'

export interface ServeFlags {
  port?: string
  host?: string
  open?: boolean
  write?: boolean
}

/** The built renderer beside the built CLI (out/renderer next to out/cli), and the database worker. */
export const RENDERER_DIR = join(import.meta.dirname, '../renderer')
const WORKER = join(import.meta.dirname, 'handler-worker.js')

export async function serve(db: string, flags: ServeFlags, fail: (message: string) => never): Promise<void> {
  if (!existsSync(join(RENDERER_DIR, 'index.html')))
    fail(`the app's pages are not built (${RENDERER_DIR}): run "npm run build" first`)
  const port = flags.port === undefined ? 0 : Number(flags.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    fail(`--port takes a port number, not "${flags.port}"`)
  const host = new HandlerHost(WORKER, {
    mode: flags.write ? 'write' : 'read',
    snapshotDir: join(appDataDir(), 'snapshots'),
    searchDir: join(appDataDir(), 'search'),
    allowWrite: flags.write ?? false,
  })
  const ref = await host.add(db)
  // Open it now, so a bad file is reported before the server starts.
  const opened = await host.dispatch('files.info', { fileId: ref.fileId })
  const info = opened.kind === 'ok' ? (opened.output as { ok: boolean; message?: string }) : undefined
  if (!info?.ok) {
    await host.close()
    fail(info?.message ?? 'the file could not be opened')
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
  process.stdout.write(`Serving ${ref.path} (${mode}) at\n  ${server.url}\nPress Ctrl+C to stop.\n`)
  if (flags.open) openInBrowser(server.url)
  const stop = () => {
    void server
      .close()
      .then(() => host.close())
      .then(() => process.exit(0))
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

function openInBrowser(url: string): void {
  const [command, ...args] =
    process.platform === 'darwin'
      ? ['open']
      : process.platform === 'win32'
        ? ['cmd', '/c', 'start', '']
        : ['xdg-open']
  const child = spawn(command!, [...args, url], { detached: true, stdio: 'ignore' })
  child.on('error', () =>
    process.stderr.write('Could not open a browser; open the address above yourself.\n'),
  )
  child.unref()
}
