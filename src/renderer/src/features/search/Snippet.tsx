import { SNIPPET_MARK } from '../../../../shared/api'

/** A search snippet with its matches in <mark>, built as elements (the text is never parsed as HTML). */
export function Snippet({ text }: { text: string }) {
  const parts = text.split(SNIPPET_MARK.start)
  return (
    <span className="snippet">
      {parts[0]}
      {parts.slice(1).map((part, i) => {
        const [marked = '', rest = ''] = part.split(SNIPPET_MARK.end)
        return (
          <span key={i}>
            <mark>{marked}</mark>
            {rest}
          </span>
        )
      })}
    </span>
  )
}
