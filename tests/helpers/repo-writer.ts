// A second process writing through our repository: adds COUNT events to CONVERSATION, request ids r0..
import { ChatRepository } from '../../src/main/db/repository'

const [path, conversationId, count] = process.argv.slice(2)
const repo = ChatRepository.open(path!, { mode: 'write' })
let added = 0
for (let i = 0; i < Number(count); i++) {
  const stored = repo.addEvent({
    conversation_id: conversationId!,
    type: 'user_message',
    content: `child ${i}`,
    extra: { request_id: `r${i}` },
  })
  if (stored) added++
}
repo.close()
process.stdout.write(JSON.stringify({ added }))
