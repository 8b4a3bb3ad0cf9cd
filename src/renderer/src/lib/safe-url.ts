// Links chat content may carry: web and mail addresses only (main checks again before opening one).
const ALLOWED = new Set(['http:', 'https:', 'mailto:'])

export function safeLinkUrl(url: string): string | undefined {
  try {
    const parsed = new URL(url)
    return ALLOWED.has(parsed.protocol) ? parsed.toString() : undefined
  } catch {
    return undefined
  }
}
