// Text from a chat history printed by chv never reaches a terminal as commands: escape sequences in a
// message could write the clipboard (OSC 52), retitle the window or clear the screen.

/** C0 controls except \n and \t, DEL, and C1 controls (U+0080–U+009F: C1 CSI acts like ESC [). */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g

const visible = (ch: string): string => {
  if (ch === '\r') return '\\r'
  return `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`
}

/** Plain text with every control character but newline and tab shown as an escape (`\x1b`, `\r`). */
export const escapeControls = (text: string): string => text.replace(CONTROL, visible)

/** Like escapeControls, for text that must stay on one line (messages on stderr). */
export const oneLine = (text: string): string => escapeControls(text.replace(/\s*\n\s*/g, ' ').trim())

/**
 * JSON text with DEL and C1 controls written as `\u00XX` (JSON.stringify leaves them raw; it escapes
 * only C0). They can only occur inside strings, where the escape means the same character.
 */
export const escapeJsonControls = (json: string): string =>
  json.replace(/[\u007f-\u009f]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)
