import { number } from '../../lib/format'
import { DeleteConversations } from '../cleanup/DeleteConversation'
import { ExportMenu } from '../report/ExportMenu'

interface Props {
  fileId: string
  picked: Set<string>
  onClear(): void
}

/** What to do with the conversations picked with Ctrl/Cmd+click or Space: export or delete them together. */
export function SelectionBar({ fileId, picked, onClear }: Props) {
  if (picked.size === 0) return null
  return (
    <div className="selection-bar" role="toolbar" aria-label="Selected conversations">
      <span className="selection-count">{number(picked.size)} selected</span>
      <ExportMenu fileId={fileId} conversationIds={[...picked]} name={`${picked.size}-conversations`} />
      <DeleteConversations
        fileId={fileId}
        conversationIds={[...picked]}
        label={`Delete ${picked.size}…`}
        onDeleted={onClear}
      />
      <button className="copy" onClick={onClear}>
        Clear
      </button>
    </div>
  )
}
