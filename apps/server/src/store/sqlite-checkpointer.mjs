// The SQLite checkpointer thread (see `openSqlite` in sqlite.ts): copies committed WAL frames
// into the database file on its own connection, so that the writer's thread never spends
// its time (two fsyncs and the copy) on checkpoints. Each `checkpoint` message runs a
// passive checkpoint (it never blocks the writer); when the WAL holds more than `restartFrames`
// frames, the checkpoint restarts the WAL so that it does not grow without bound under a
// continuous stream of writes. Plain JavaScript: it needs no TypeScript loader.
import { parentPort, workerData } from 'node:worker_threads'
import Database from 'better-sqlite3'

const { file, restartFrames } = workerData
const db = new Database(file)
db.pragma('busy_timeout = 5000')

parentPort.on('message', (msg) => {
  if (msg === 'close') {
    db.close()
    parentPort.close()
    return
  }
  try {
    let [result] = db.pragma('wal_checkpoint(PASSIVE)')
    if (result.log > restartFrames) [result] = db.pragma('wal_checkpoint(RESTART)')
    parentPort.postMessage({ ok: true, ...result })
  } catch (err) {
    parentPort.postMessage({ ok: false, message: err.message })
  }
})
parentPort.postMessage({ ready: true })
