// A history full of fresh random secrets (every rule, every place a secret can hide, some split across
// streamed chunks) and decoys that look like secrets but are not.
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { ChatRepository } from '../../src/main/db/repository'
import type { NewChatEvent } from '../../src/shared/chat-event'
import { tempDir } from './files'

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

function random(length: number, alphabet = ALNUM): string {
  return [...randomBytes(length)].map((b) => alphabet[b % alphabet.length]).join('')
}

const B64URL = `${ALNUM}-_`

/** One fresh secret per rule: the text placed in the history, and the secret inside it. */
export function freshSecrets(): { rule: string; text: string; secret: string }[] {
  const awsSecret = random(40, `${ALNUM}/+`)
  const password = random(18)
  const generic = random(32)
  const pem = `-----BEGIN OPENSSH PRIVATE KEY-----\n${random(64, `${ALNUM}+/`)}\n${random(40, `${ALNUM}+/`)}==\n-----END OPENSSH PRIVATE KEY-----`
  return [
    { rule: 'anthropic-api-key', secret: `sk-ant-api03-${random(93, B64URL)}` },
    { rule: 'openai-api-key', secret: `sk-proj-${random(48, B64URL)}` },
    { rule: 'aws-access-key-id', secret: `AKIA${random(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}` },
    { rule: 'aws-secret-access-key', secret: awsSecret, text: `aws_secret_access_key = ${awsSecret}` },
    { rule: 'github-token', secret: `ghp_${random(36)}` },
    { rule: 'slack-token', secret: `xoxb-${random(11, '0123456789')}-${random(24)}` },
    { rule: 'stripe-live-key', secret: `sk_live_${random(24)}` },
    { rule: 'google-api-key', secret: `AIza${random(35, B64URL)}` },
    { rule: 'jwt', secret: `eyJ${random(20, B64URL)}.eyJ${random(30, B64URL)}.${random(43, B64URL)}` },
    { rule: 'private-key', secret: pem },
    { rule: 'url-password', secret: password, text: `postgres://admin:${password}@db.internal:5432/app` },
    { rule: 'generic-secret', secret: generic, text: `PAYMENTS_SERVICE_TOKEN=${generic}` },
  ].map((s) => ({ ...s, text: s.text ?? s.secret }))
}

/** Look like secrets, are not: must survive a scan and a redaction untouched. */
export const DECOYS = [
  'pip install sk-learn scikit-learn',
  'commit 3f786850e387550fdab836ed7e6dc881de23001b fixed it',
  'request 123e4567-e89b-12d3-a456-426614174000 done',
  '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----',
  'OpenAI keys start with sk-proj- and are long',
  'password: changeme',
]

export const PLACES = ['text', 'list', 'tool-arguments', 'tool-result', 'extra', 'raw'] as const

/** The event that hides `text` in one place (with words around it, which must stay). */
function eventWith(place: (typeof PLACES)[number], text: string, n: number): NewChatEvent {
  const around = `before ${text} after`
  const conversation_id = `leaky-${n % 5}`
  switch (place) {
    case 'text':
      return { conversation_id, type: 'user_message', role: 'user', content: around }
    case 'list':
      return {
        conversation_id,
        type: 'user_message',
        role: 'user',
        content: [
          { type: 'text', text: around },
          { type: 'image_url', image_url: { url: 'https://example.com/cat.png' } },
        ],
      }
    case 'tool-arguments':
      return {
        conversation_id,
        type: 'assistant_message',
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: `call_${n}`,
            type: 'function',
            function: { name: 'configure', arguments: JSON.stringify({ env: { VALUE: around } }) },
          },
        ],
      }
    case 'tool-result':
      return {
        conversation_id,
        type: 'tool_result',
        role: 'tool',
        content: around,
        extra: { tool_call_id: `call_${n}` },
      }
    case 'extra':
      return {
        conversation_id,
        type: 'system_update',
        content: 'note',
        extra: { visible_to_model: false, debug: { headers: [around] } },
      }
    case 'raw':
      return {
        conversation_id,
        type: 'assistant_message',
        role: 'assistant',
        content: 'ok',
        raw: { response: { body: JSON.stringify({ echo: { deep: [around] } }) } },
      }
  }
}

/** A history with every rule's secret in every place, three split across streamed chunks, and decoys. */
export function leakyHistory(): { path: string; secrets: { rule: string; secret: string }[] } {
  const path = join(tempDir(), 'chat_history.db')
  const repo = ChatRepository.open(path, { mode: 'create' })
  const secrets: { rule: string; secret: string }[] = []
  const events: NewChatEvent[] = []
  let n = 0
  for (const place of PLACES)
    for (const s of freshSecrets()) {
      events.push(eventWith(place, s.text, n++))
      secrets.push(s)
    }
  // Split across streamed chunks: each piece alone is harmless.
  for (const s of freshSecrets().slice(0, 3)) {
    const text = `the key is ${s.text}, keep it safe`
    const cuts = [0, 15, 27, 40, text.length]
    for (let i = 0; i < cuts.length - 1; i++)
      events.push({
        conversation_id: 'streamed',
        type: 'meta',
        role: 'assistant',
        content: text.slice(cuts[i], cuts[i + 1]),
        extra: { kind: 'assistant_delta', user_request_id: `split-${s.rule}` },
      })
    secrets.push(s)
  }
  for (const decoy of DECOYS)
    events.push({ conversation_id: 'decoys', type: 'user_message', role: 'user', content: decoy })
  repo.addEvents(events)
  repo.close()
  return { path, secrets }
}
