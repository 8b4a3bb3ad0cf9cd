// chv serve: the app in a browser, over loopback HTTP, until Ctrl+C.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { FileRegistry } from '../main/api/file-registry'
import { createHandlers } from '../main/api/handlers'
import { appDataDir } from '../main/app-data-dir'
import { startServer } from '../main/http/serve'

export interface ServeFlags {
  port?: string
  host?: string
  open?: boolean
  write?: boolean
}

/** The built renderer beside the built CLI (out/renderer next to out/cli). */
export const RENDERER_DIR = fileURLToPath(new URL('../renderer', import.meta.url))

export async function serve(db: string, flags: ServeFlags, fail: (message: string) => never): Promise<void> {
  if (!existsSync(join(RENDERER_DIR, 'index.html')))
    fail(`the app's pages are not built (${RENDERER_DIR}): run "npm run build" first`)
  const port = flags.port === undefined ? 0 : Number(flags.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    fail(`--port takes a port number, not "${flags.port}"`)
  const files = new FileRegistry(flags.write ? 'write' : 'read')
  const ref = files.add(db)
  files.repo(ref.fileId) // open now, so a bad file is reported before the server starts
  let server
  try {
    server = await startServer({
      files,
      handlers: createHandlers(files, {
        snapshotDir: join(appDataDir(), 'snapshots'),
        searchDir: join(appDataDir(), 'search'),
      }),
      rendererDir: RENDERER_DIR,
      host: flags.host,
      port,
      allowWrite: flags.write ?? false,
    })
  } catch (error) {
    files.closeAll()
    fail((error as Error).message)
  }
  const mode = flags.write ? 'read-write' : 'read-only'
  process.stdout.write(`Serving ${ref.path} (${mode}) at\n  ${server.url}\nPress Ctrl+C to stop.\n`)
  if (flags.open) openInBrowser(server.url)
  const stop = () => {
    void server.close().then(() => {
      files.closeAll()
      process.exit(0)
    })
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
