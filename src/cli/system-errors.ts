// What the operating system refused, said in one line (writing `export -o` into a missing folder, onto
// a folder, without permission), instead of Node's error with its stack.

const REASONS: Record<string, string> = {
  ENOENT: 'the folder does not exist',
  ENOTDIR: 'part of the path is not a folder',
  EISDIR: 'it is a folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  ENAMETOOLONG: 'the name is too long',
  EMFILE: 'too many open files',
  EIO: 'an input/output error (the disk or the file system failed)',
}

/** One line for a Node system error (fs, net), or undefined when `error` is not one. */
export function fromSystemError(error: unknown): string | undefined {
  const { code, path, syscall } = (error ?? {}) as { code?: unknown; path?: unknown; syscall?: unknown }
  if (typeof code !== 'string' || !(code in REASONS)) return undefined
  const what =
    typeof syscall === 'string' && /^(open|write|mkdir|rename)/.test(syscall) ? 'cannot write' : 'cannot use'
  const reason = code === 'ENOENT' && syscall !== 'open' ? 'it does not exist' : REASONS[code]
  return typeof path === 'string' ? `${what} ${path}: ${reason}` : `${REASONS[code]} (${code})`
}
