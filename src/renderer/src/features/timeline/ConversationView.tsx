import { useState } from 'react'
import type { Opened } from '../../App'
import { CopyButton } from '../../components/CopyButton'
import { ModelView } from '../model-view/ModelView'
import { DeleteConversations } from '../cleanup/DeleteConversation'
import { ExportMenu } from '../report/ExportMenu'
import { ProblemsView } from '../report/ProblemsView'
import { FindInConversation } from '../search/FindInConversation'
import { Timeline } from './Timeline'

export function ConversationView({
  fileId,
  opened,
  onClose,
}: {
  fileId: string
  opened: Opened
  onClose(): void
}) {
  const [view, setView] = useState<'timeline' | 'model' | 'problems'>('timeline')
  const [focusSeq, setFocusSeq] = useState(opened.seq)
  const { conversationId } = opened
  return (
    <section className="conversation-view" aria-label={`Conversation ${conversationId}`}>
      <header className="conversation-header">
        <h2 title={conversationId}>{conversationId}</h2>
        <CopyButton text={conversationId} label="Copy id" />
        <ExportMenu fileId={fileId} conversationIds={[conversationId]} name={conversationId} />
        <DeleteConversations fileId={fileId} conversationIds={[conversationId]} onDeleted={onClose} />
        <FindInConversation fileId={fileId} conversationId={conversationId} onFocusSeq={setFocusSeq} />
        <div className="tabs" role="tablist">
          <button role="tab" aria-selected={view === 'timeline'} onClick={() => setView('timeline')}>
            Timeline
          </button>
          <button role="tab" aria-selected={view === 'model'} onClick={() => setView('model')}>
            Model view
          </button>
          <button role="tab" aria-selected={view === 'problems'} onClick={() => setView('problems')}>
            Problems
          </button>
        </div>
      </header>
      {view === 'timeline' && (
        <Timeline fileId={fileId} conversationId={conversationId} focusSeq={focusSeq} />
      )}
      {view === 'model' && <ModelView fileId={fileId} conversationId={conversationId} />}
      {view === 'problems' && <ProblemsView fileId={fileId} conversationId={conversationId} />}
    </section>
  )
}
