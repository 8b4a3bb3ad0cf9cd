import { CopyButton } from '../../components/CopyButton'
import { Tabs } from '../../components/Tabs'
import type { Place, Tab } from '../../lib/use-address'
import { ModelView } from '../model-view/ModelView'
import { DeleteConversations } from '../cleanup/DeleteConversation'
import { ExportMenu } from '../report/ExportMenu'
import { ProblemsView } from '../report/ProblemsView'
import { FindInConversation } from '../search/FindInConversation'
import { Timeline } from './Timeline'
import { asTyped } from '../../../../shared/search-terms'

const TABS: { id: Tab; label: string }[] = [
  { id: 'timeline', label: 'Timeline' },
  { id: 'model', label: 'Model view' },
  { id: 'problems', label: 'Problems' },
]

interface Props {
  fileId: string
  place: Place & { conversation: string }
  go(change: Partial<Place>, mode?: 'push' | 'replace'): void
  onClose(): void
}

export function ConversationView({ fileId, place, go, onClose }: Props) {
  const conversationId = place.conversation
  return (
    <section className="conversation-view" aria-labelledby="conversation-title">
      <header className="conversation-header">
        <h2 id="conversation-title" title={conversationId}>
          {conversationId}
        </h2>
        <CopyButton text={conversationId} label="Copy id" />
        <ExportMenu fileId={fileId} conversationIds={[conversationId]} name={conversationId} />
        <DeleteConversations fileId={fileId} conversationIds={[conversationId]} onDeleted={onClose} />
        <FindInConversation
          fileId={fileId}
          conversationId={conversationId}
          query={place.find}
          focusSeq={place.event}
          onQuery={(find) => go({ find }, 'replace')}
          onFocusSeq={(event) => go({ event, tab: 'timeline' }, 'replace')}
        />
        <Tabs
          tabs={TABS}
          selected={place.tab}
          label="Views"
          idPrefix="view"
          onSelect={(tab) => go({ tab })}
        />
      </header>
      <div
        className="tab-panel"
        role="tabpanel"
        id={`view-panel-${place.tab}`}
        aria-labelledby={`view-tab-${place.tab}`}
      >
        {place.tab === 'timeline' && (
          <Timeline
            fileId={fileId}
            conversationId={conversationId}
            focusSeq={place.event}
            onFocusSeq={(event, mode) => go({ event }, mode)}
            matchQuery={asTyped(place.find)}
          />
        )}
        {place.tab === 'model' && <ModelView fileId={fileId} conversationId={conversationId} />}
        {place.tab === 'problems' && (
          <ProblemsView
            fileId={fileId}
            conversationId={conversationId}
            onShowEvent={(event) => go({ event, tab: 'timeline' })}
          />
        )}
      </div>
    </section>
  )
}
