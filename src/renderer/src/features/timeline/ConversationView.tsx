import { useState } from 'react'
import { ModelView } from '../model-view/ModelView'
import { Timeline } from './Timeline'

export function ConversationView({ fileId, conversationId }: { fileId: string; conversationId: string }) {
  const [view, setView] = useState<'timeline' | 'model'>('timeline')
  return (
    <section className="conversation-view" aria-label={`Conversation ${conversationId}`}>
      <header className="conversation-header">
        <h2>{conversationId}</h2>
        <div className="tabs" role="tablist">
          <button role="tab" aria-selected={view === 'timeline'} onClick={() => setView('timeline')}>
            Timeline
          </button>
          <button role="tab" aria-selected={view === 'model'} onClick={() => setView('model')}>
            Model view
          </button>
        </div>
      </header>
      {view === 'timeline' ? (
        <Timeline fileId={fileId} conversationId={conversationId} />
      ) : (
        <ModelView fileId={fileId} conversationId={conversationId} />
      )}
    </section>
  )
}
