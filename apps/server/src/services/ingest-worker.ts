// The ingest worker thread: runs an `IngestParser` per ingest job on the body bytes it is
// given, and posts back each parsed chunk in line order. Started by `IngestWorker` through
// ingest-worker.mjs.
import { parentPort } from 'node:worker_threads'
import { type FromWorker, IngestParser, type ToWorker } from './ingest.ts'

const port = parentPort
if (!port) throw new Error('the ingest worker runs in a worker thread')

const jobs = new Map<number, IngestParser>()

function post(msg: FromWorker): void {
  port?.postMessage(msg)
}

port.on('message', (msg: ToWorker) => {
  const { job } = msg
  try {
    if (msg.type === 'start') {
      jobs.set(
        job,
        new IngestParser(msg.skipThrough, (chunk) => post({ type: 'chunk', job, chunk })),
      )
    } else if (msg.type === 'data') {
      jobs.get(job)?.push(msg.bytes)
      post({ type: 'ack', job, bytes: msg.bytes.length })
    } else if (msg.type === 'end') {
      const parser = jobs.get(job)
      jobs.delete(job)
      parser?.end()
    } else if (msg.type === 'drain') {
      // Every earlier piece has been parsed (messages are handled in order).
      jobs.delete(job)
      post({ type: 'drained', job })
    } else jobs.delete(job)
  } catch (err) {
    jobs.delete(job)
    post({ type: 'error', job, message: (err as Error).message })
  }
})

post({ type: 'ready' })
