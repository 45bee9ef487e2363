// Entry of the ingest worker thread (see `IngestWorker` in ingest.ts). The worker's code is
// TypeScript: it is loaded through tsx's API, which works whether or not the parent process
// already runs under tsx (the server, Vitest, a bench).
import { tsImport } from 'tsx/esm/api'

await tsImport('./ingest-worker.ts', import.meta.url)
