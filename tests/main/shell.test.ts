// The Electron shell's logic, as plain values and functions (Electron itself cannot run here).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it, vi } from 'vitest'
import { appDataDir } from '../../src/main/app-data-dir'
import { APP_SCHEME_PRIVILEGES, rendererFileFor, rendererHandler } from '../../src/main/app-protocol'
import { databasePathsFromArgv } from '../../src/main/argv'
import { ChatRepository } from '../../src/main/db/repository'
import { ensureDemoDatabase } from '../../src/main/demo-file'
import { menuTemplate, type MenuActions } from '../../src/main/menu'
import { MAX_RECENT, RecentFiles } from '../../src/main/recent-files'
import { CONTENT_SECURITY_POLICY } from '../../src/main/security/content-security-policy'
import { isAllowedExternalUrl } from '../../src/main/security/external-links'
import { hardenContents, hardenSession } from '../../src/main/security/harden'
import { windowOptions } from '../../src/main/window-options'
import { tempDir } from '../helpers/files'

describe('the window', () => {
  it("paints the system theme's background before the page, and has DevTools only in development", () => {
    expect(windowOptions('/p', 't', { dark: false, devTools: false })).toMatchObject({
      backgroundColor: '#ffffff',
      webPreferences: { devTools: false },
    })
    expect(windowOptions('/p', 't', { dark: true, devTools: true })).toMatchObject({
      backgroundColor: '#16181d',
      webPreferences: { devTools: true },
    })
    // The same colours as the page's --bg (styles.css), light and dark.
    const css = readFileSync(new URL('../../src/renderer/src/styles.css', import.meta.url), 'utf8')
    expect(css).toContain('--bg: #ffffff')
    expect(css).toContain('--bg: #16181d')
  })

  it('is isolated and sandboxed, with no Node in the page and no webviews', () => {
    const options = windowOptions('/app/preload.cjs', 'x.db')
    expect(options.webPreferences).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
    })
  })

  it('has a CSP that allows only our own scripts, styles and connections', () => {
    const directives = Object.fromEntries(
      CONTENT_SECURITY_POLICY.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]),
    )
    expect(directives).toEqual({
      'default-src': "'none'",
      'script-src': "'self'",
      'style-src': "'self'",
      'img-src': "'self'",
      'font-src': "'self'",
      'connect-src': "'self'",
      'base-uri': "'none'",
      'form-action': "'none'",
      'frame-ancestors': "'none'",
      'object-src': "'none'",
    })
    const html = readFileSync(new URL('../../src/renderer/index.html', import.meta.url), 'utf8')
    expect(html).toContain(`content="${CONTENT_SECURITY_POLICY.replace("; frame-ancestors 'none'", '')}"`)
  })
})

describe('links and navigation', () => {
  it('opens only http(s) and mailto links outside', () => {
    for (const url of ['https://example.com/a', 'http://example.com', 'mailto:a@example.com']) {
      expect(isAllowedExternalUrl(url)).toBe(true)
    }
    for (const url of [
      'javascript:alert(1)',
      'data:text/html,<b>x</b>',
      'file:///etc/passwd',
      'app://renderer/',
      'vbscript:x',
      'https://',
      'nonsense',
    ]) {
      expect(isAllowedExternalUrl(url)).toBe(false)
    }
  })

  it('denies navigation and new windows, sending allowed links to the browser', () => {
    type Navigation = { preventDefault(): void; url?: string }
    const listeners: Record<string, (event: Navigation) => void> = {}
    let openHandler: ((details: { url: string }) => { action: string }) | undefined
    const contents = {
      on: (name: string, listener: (event: Navigation) => void) => (listeners[name] = listener),
      setWindowOpenHandler: (handler: typeof openHandler) => (openHandler = handler),
    }
    const opened: string[] = []
    hardenContents(contents as never, (url) => opened.push(url))
    const preventDefault = vi.fn()
    // The URL is read from the event (the positional argument is deprecated).
    listeners['will-navigate']!({ preventDefault, url: 'https://example.com/docs' })
    listeners['will-navigate']!({ preventDefault, url: 'javascript:alert(1)' })
    expect(preventDefault).toHaveBeenCalledTimes(2)
    expect(openHandler!({ url: 'https://example.com/x' })).toEqual({ action: 'deny' })
    expect(openHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' })
    expect(opened).toEqual(['https://example.com/docs', 'https://example.com/x'])
    const attach = { preventDefault: vi.fn() }
    listeners['will-attach-webview']!(attach)
    expect(attach.preventDefault).toHaveBeenCalled()
  })

  it('refuses every permission but clipboard writes, and those only to our own pages', () => {
    type Request = (c: unknown, p: string, cb: (ok: boolean) => void, d: { requestingUrl: string }) => void
    type Check = (c: unknown, p: string, origin: string) => boolean
    let request: Request | undefined
    let check: Check | undefined
    hardenSession(
      {
        setPermissionRequestHandler: (h: Request) => (request = h),
        setPermissionCheckHandler: (h: Check) => (check = h),
      } as never,
      ['app://renderer'],
    )
    const answer = (permission: string, url: string) => {
      let granted: boolean | undefined
      request!(null, permission, (ok) => (granted = ok), { requestingUrl: url })
      return [granted, check!(null, permission, url)]
    }
    expect(answer('clipboard-sanitized-write', 'app://renderer/index.html?file=f1')).toEqual([true, true])
    expect(answer('clipboard-sanitized-write', 'https://evil.example/')).toEqual([false, false])
    expect(answer('clipboard-sanitized-write', 'app://other/')).toEqual([false, false])
    for (const permission of ['media', 'notifications', 'clipboard-read', 'geolocation'])
      expect(answer(permission, 'app://renderer/index.html')).toEqual([false, false])
  })
})

describe('the app:// protocol', () => {
  it('serves files of the renderer folder only', () => {
    expect(rendererFileFor('app://renderer/index.html?file=f1', '/app/renderer')).toBe(
      '/app/renderer/index.html',
    )
    expect(rendererFileFor('app://renderer/', '/app/renderer')).toBe('/app/renderer/index.html')
    expect(rendererFileFor('app://renderer/assets/a.js', '/app/renderer')).toBe('/app/renderer/assets/a.js')
    expect(rendererFileFor('app://renderer/..%2F..%2Fetc%2Fpasswd', '/app/renderer')).toBeUndefined()
    expect(rendererFileFor('app://other/index.html', '/app/renderer')).toBeUndefined()
    expect(rendererFileFor('file:///app/renderer/index.html', '/app/renderer')).toBeUndefined()
    // A malformed escape names no file (decodeURIComponent would throw); a folder is no page.
    expect(rendererFileFor('app://renderer/%E0%A4%A', '/app/renderer')).toBeUndefined()
    expect(rendererFileFor('app://renderer/assets/', '/app/renderer')).toBeUndefined()
  })

  it('answers 404 for what is not a file, without fetching it, and adds the CSP to what is', async () => {
    const fetched: string[] = []
    const handler = rendererHandler(
      '/app/renderer',
      "default-src 'none'",
      (path) => path !== '/app/renderer/assets',
      async (path) => {
        fetched.push(path)
        return new Response('<!doctype html>', { headers: { 'Content-Type': 'text/html' } })
      },
    )
    for (const url of ['app://renderer/assets', 'app://renderer/%zz', 'app://renderer/..%2F..%2Fetc'])
      expect((await handler({ url })).status).toBe(404)
    const page = await handler({ url: 'app://renderer/index.html' })
    expect(page.status).toBe(200)
    expect(page.headers.get('Content-Security-Policy')).toBe("default-src 'none'")
    expect(page.headers.get('Content-Type')).toBe('text/html')
    expect(fetched).toEqual(['/app/renderer/index.html'])
  })

  it('keeps V8 code cache for app:// (it needs standard as well)', () => {
    expect(APP_SCHEME_PRIVILEGES.privileges).toMatchObject({ standard: true, secure: true, codeCache: true })
  })
})

describe('the menu', () => {
  const actions: MenuActions = {
    open: vi.fn(),
    openRecent: vi.fn(),
    clearRecent: vi.fn(),
    reveal: vi.fn(),
    about: vi.fn(),
  }
  type Item = {
    label?: string
    role?: string
    accelerator?: string
    submenu?: Item[]
    click?: () => void
    enabled?: boolean
  }
  const all = (items: Item[]): Item[] => items.flatMap((i) => [i, ...all(i.submenu ?? [])])
  const find = (items: Item[], label: string): Item | undefined => all(items).find((i) => i.label === label)

  it('has File > Open…, Open Recent, Reveal, Close with the usual accelerators', () => {
    const menu = menuTemplate(actions, ['/a.db', '/b.db'], 'linux', false) as Item[]
    expect(find(menu, 'Open…')).toMatchObject({ accelerator: 'CmdOrCtrl+O' })
    expect(find(menu, 'Show in File Manager')).toMatchObject({ accelerator: 'CmdOrCtrl+Shift+R' })
    const file = menu.find((m) => m.label === '&File')!.submenu!
    expect(file.find((i) => i.role === 'close')).toMatchObject({ accelerator: 'CmdOrCtrl+W' })
    expect(file.find((i) => i.role === 'quit')).toMatchObject({ accelerator: 'Ctrl+Q' })
    const recent = find(menu, 'Open Recent')!.submenu!
    expect(recent.map((i) => i.label)).toEqual(['/a.db', '/b.db', undefined, 'Clear Recent'])
    recent[1]!.click!()
    expect(actions.openRecent).toHaveBeenCalledWith('/b.db')
    find(menu, 'About Chat History Viewer')!.click!()
    expect(actions.about).toHaveBeenCalled()
  })

  it('says so when there are no recent files, follows macOS conventions, and hides dev tools when packaged', () => {
    const mac = menuTemplate(actions, [], 'darwin', false) as Item[]
    expect(mac[0]).toEqual({ role: 'appMenu' })
    expect(find(mac, 'No Recent Files')).toMatchObject({ enabled: false })
    expect(find(mac, 'Reveal in Finder')).toBeDefined()
    expect(JSON.stringify(mac)).not.toContain('toggleDevTools')
    expect(JSON.stringify(menuTemplate(actions, [], 'linux', true))).toContain('toggleDevTools')
  })
})

describe('files from the command line, recent files, the data folder', () => {
  it('takes existing files from argv, skipping flags and the executable', () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'a.db'), 'x')
    mkdirSync(join(dir, 'folder'))
    expect(
      databasePathsFromArgv(['/usr/bin/app', '--flag', 'a.db', 'missing.db', 'folder', '.'], dir),
    ).toEqual([join(dir, 'a.db')])
  })

  it('takes file:// URIs too (Linux desktops pass %U so), decoded', () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'my chat.db'), 'x')
    const uri = pathToFileURL(join(dir, 'my chat.db')).toString()
    expect(uri).toContain('my%20chat.db')
    expect(
      databasePathsFromArgv(['/usr/bin/app', uri, 'file://otherhost/x.db', 'file:nonsense'], dir),
    ).toEqual([join(dir, 'my chat.db')])
  })

  it('keeps ten recent files, newest first, across restarts, and survives a broken list', () => {
    const file = join(tempDir(), 'recent.json')
    const recent = new RecentFiles(file)
    for (let i = 0; i < 12; i++) recent.add(`/f${i}.db`)
    recent.add('/f5.db')
    expect(new RecentFiles(file).list()).toEqual([
      '/f5.db',
      '/f11.db',
      '/f10.db',
      '/f9.db',
      '/f8.db',
      '/f7.db',
      '/f6.db',
      '/f4.db',
      '/f3.db',
      '/f2.db',
    ])
    expect(recent.list()).toHaveLength(MAX_RECENT)
    writeFileSync(file, '{broken')
    expect(new RecentFiles(file).list()).toEqual([])
  })

  it('puts the data folder where each platform expects it', () => {
    expect(appDataDir({ HOME: '/h', XDG_CONFIG_HOME: '/h/.cfg' }, 'linux')).toBe(
      '/h/.cfg/chat-history-viewer',
    )
    expect(appDataDir({ APPDATA: 'C:/Users/u/AppData/Roaming' }, 'win32')).toBe(
      'C:/Users/u/AppData/Roaming/chat-history-viewer',
    )
    expect(appDataDir({ CHV_DATA_DIR: '/tmp/x' }, 'darwin')).toBe('/tmp/x')
  })

  it('makes the demo database once, complete', () => {
    const dir = tempDir()
    const path = ensureDemoDatabase(dir)
    expect(ensureDemoDatabase(dir)).toBe(path)
    expect(ChatRepository.open(path).listConversations()).toHaveLength(7)
    expect(existsSync(`${path}.partial`)).toBe(false)
  })
})
