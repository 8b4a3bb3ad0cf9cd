import { useQuery } from '@tanstack/react-query'
import { call } from '../../lib/api'

/** Whether the file is open for writing, and if not, what to tell the user. */
export function useWritable(fileId: string): { writable: boolean; why: string } {
  const info = useQuery({ queryKey: [fileId, 'info'], queryFn: () => call('files.info', { fileId }) })
  const writable = info.data?.readOnly === false
  const why = window.api
    ? 'The file is open read-only: the desktop app does not write yet.'
    : 'The file is open read-only: start chv serve with --write to change it.'
  return { writable, why: writable ? '' : why }
}
