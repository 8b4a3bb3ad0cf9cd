// The handlers on their own thread: database work never blocks the Electron main process or the HTTP
// server, however long a query over a big file takes. Messages in, messages out (see handler-host.ts).
import { parentPort, workerData } from 'node:worker_threads'
import { dispatch } from './dispatch'
import { FileRegistry } from './file-registry'
import { createHandlers } from './handlers'
import type { WorkerData, WorkerReply, WorkerRequest } from './handler-host'

const data = workerData as WorkerData
const files = new FileRegistry(data.mode)
const handlers = createHandlers(files, {
  dataDir: data.dataDir,
  searchDir: data.searchDir,
  writesEnabled: data.allowWrite,
})

parentPort!.on('message', (request: WorkerRequest) => {
  let reply: WorkerReply
  try {
    if (request.type === 'add') reply = { id: request.id, kind: 'ok', output: files.add(request.path) }
    else if (request.type === 'writable') {
      files.makeWritable(request.fileId)
      reply = { id: request.id, kind: 'ok', output: null }
    } else if (request.type === 'close') {
      files.closeAll()
      reply = { id: request.id, kind: 'ok', output: null }
    } else reply = { id: request.id, ...dispatch(handlers, request.channel, request.input, data.allowWrite) }
  } catch (error) {
    reply = { id: request.id, kind: 'error', message: error instanceof Error ? error.message : String(error) }
  }
  try {
    parentPort!.postMessage(reply)
  } catch (error) {
    // An answer that cannot be copied to the other thread fails that call only.
    const message = `The answer could not be sent: ${error instanceof Error ? error.message : String(error)}`
    parentPort!.postMessage({ id: request.id, kind: 'error', message } satisfies WorkerReply)
  }
})
