import { useQueryClient } from '@tanstack/react-query'
import { useEffect, useState } from 'react'
import { isFileGone } from '../../lib/api'

/**
 * When the file was moved, deleted or replaced under us, every read fails the same way: say so once, in
 * words, with a way to try again ("Reopen" asks for everything afresh), instead of an error per panel.
 */
export function FileGone({ fileId }: { fileId: string }) {
  const queries = useQueryClient()
  const [message, setMessage] = useState<string | null>(null)
  useEffect(
    () =>
      queries.getQueryCache().subscribe((event) => {
        if (event.type !== 'updated' || event.query.queryKey[0] !== fileId) return
        // A fresh answer from the file means it can be read again; an error of the gone kind, that not.
        if (event.action.type === 'success') setMessage(null)
        else if (event.action.type === 'error' && isFileGone(event.action.error))
          setMessage(event.action.error.message)
      }),
    [queries, fileId],
  )
  if (message === null) return null
  return (
    <div className="file-gone" role="alert">
      <p>
        <strong>This file can no longer be read where it was opened.</strong> It was moved, renamed, deleted
        or replaced by another file. {message}
      </p>
      <button
        className="primary"
        onClick={() => {
          setMessage(null)
          void queries.resetQueries({ queryKey: [fileId] })
        }}
      >
        Reopen
      </button>
    </div>
  )
}
