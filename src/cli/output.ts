// Writing chv's answers: synchronously (so a closed pipe is an error where we can catch it, not an
// 'error' event that crashes the process later), with control characters escaped for terminals.
import { writeSync } from 'node:fs'
import { escapeControls, escapeJsonControls, oneLine } from './terminal-text'

/** The reader of our output went away (`chv ls big.db | head -1`): not an error, nothing more to write. */
export class OutputClosed extends Error {
  constructor() {
    super('output closed')
  }
}

const pause = new Int32Array(new SharedArrayBuffer(4))

/**
 * Writes all of `text` to a file descriptor. A pipe set to non-blocking answers EAGAIN while it is
 * full: wait a little and go on. EPIPE (the reader closed it) becomes OutputClosed.
 */
export function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text, 'utf8')
  let offset = 0
  while (offset < bytes.length) {
    try {
      offset += writeSync(fd, bytes, offset, bytes.length - offset)
    } catch (error) {
      const code = (error as { code?: string }).code
      if (code === 'EAGAIN') Atomics.wait(pause, 0, 0, 2)
      else if (code === 'EPIPE') throw new OutputClosed()
      else throw error
    }
  }
}

/** Text for stdout: JSON keeps its meaning (control characters as \u escapes), text is escaped. */
export function printed(text: string, json: boolean): string {
  return json ? escapeJsonControls(text) : escapeControls(text)
}

/** One line on stderr, whatever the message holds. */
export function printError(message: string): void {
  try {
    writeAll(2, `chv: ${oneLine(message)}\n`)
  } catch {
    // stderr is gone too: nothing left to tell anyone.
  }
}

/**
 * `JSON.stringify(value, null, 2)` followed by a newline, written an array element at a time: the
 * answer for a conversation of 50,000 events (or one 300 MB message) never has to fit in one string
 * (V8 stops near 512 M characters), and the reader sees output as it comes.
 */
export function writeJson(fd: number, value: unknown): void {
  if (!Array.isArray(value) || value.length === 0) {
    writeAll(fd, `${printed(JSON.stringify(value, null, 2) ?? 'null', true)}\n`)
    return
  }
  writeAll(fd, '[\n')
  value.forEach((item, i) => {
    // Inside an array, JSON.stringify indents each line of an element by two more spaces; JSON text has
    // no raw newline inside a string, so indenting every line is exact.
    const text = (JSON.stringify(item, null, 2) ?? 'null').replace(/^/gm, '  ')
    writeAll(fd, `${printed(text, true)}${i < value.length - 1 ? ',' : ''}\n`)
  })
  writeAll(fd, ']\n')
}

/** Text, or blocks of it with a blank line between them, escaped and written a block at a time. */
export function writeText(fd: number, text: string | string[]): void {
  const blocks = typeof text === 'string' ? [text] : text
  blocks.forEach((block, i) => writeAll(fd, `${i > 0 ? '\n\n' : ''}${printed(block, false)}`))
  writeAll(fd, '\n')
}
