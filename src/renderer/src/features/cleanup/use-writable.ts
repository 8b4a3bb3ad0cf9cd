import { useQuery } from '@tanstack/react-query'
import { call } from '../../lib/api'

/**
 * Whether the UI may change the file, and if not, what to tell the user. In the desktop app a
 * read-only file may still be changed: main first asks, in a native dialog, to switch it to writing.
 */
export function useWritable(fileId: string): { writable: boolean; why: string } {
  const info = useQuery({ queryKey: [fileId, 'info'], queryFn: () => call('files.info', { fileId }) })
  const writable = info.data?.writesEnabled === true
  return {
    writable,
    why: writable ? '' : 'The file is open read-only: start chv serve with --write to change it.',
  }
}

/** The desktop app confirms in native dialogs shown by main; the browser confirms in the page. */
export const confirmsInPage = (): boolean => !window.api
