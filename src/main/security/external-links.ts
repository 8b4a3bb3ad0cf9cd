// Links from chat content open in the user's browser only when they are plainly web or mail links.
const ALLOWED = new Set(['http:', 'https:', 'mailto:'])

export function isAllowedExternalUrl(url: string): boolean {
  try {
    const parsed = new URL(url)
    return ALLOWED.has(parsed.protocol) && (parsed.protocol === 'mailto:' || parsed.hostname !== '')
  } catch {
    return false
  }
}
