import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { call } from '../../lib/api'
import { number } from '../../lib/format'

/** Exactly what the Python chat app's build_llm_conversation would send for this conversation. */
export function ModelView({ fileId, conversationId }: { fileId: string; conversationId: string }) {
  const [systemPrompt, setSystemPrompt] = useState('You are a helpful assistant.')
  const [userMessage, setUserMessage] = useState('(the next user message)')
  const view = useQuery({
    queryKey: [fileId, 'model', conversationId, systemPrompt, userMessage],
    queryFn: () => call('model.view', { fileId, conversationId, systemPrompt, userMessage }),
  })
  return (
    <div className="model-view">
      <label>
        System prompt
        <textarea value={systemPrompt} onChange={(e) => setSystemPrompt(e.target.value)} rows={3} />
      </label>
      <label>
        Next user message
        <input value={userMessage} onChange={(e) => setUserMessage(e.target.value)} />
      </label>
      {view.error && <p className="state error">{view.error.message}</p>}
      {view.data && (
        <>
          <p className="muted">
            The Python chat app&apos;s <code>build_llm_conversation</code> reads the first{' '}
            {number(view.data.limit)} model-visible events: {number(view.data.historyEvents)} of{' '}
            {number(view.data.visibleEvents)} here. Of those it sends user and assistant messages only:
            visible system updates are read but dropped, and tool results are only kept after an assistant
            message with tool calls, which it never builds.
          </p>
          <ol className="messages">
            {view.data.messages.map((m, i) => (
              <li key={i} className={`message ${m.role}`}>
                <span className="chip">{m.role}</span>
                {m.tool_call_id && <code>{m.tool_call_id}</code>}
                {m.content === '' ? (
                  // Said in words: an empty box reads as a rendering bug.
                  <p className="muted empty-content">(no text in this message)</p>
                ) : (
                  <pre>{m.content}</pre>
                )}
              </li>
            ))}
          </ol>
        </>
      )}
    </div>
  )
}
