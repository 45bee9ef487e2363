/// <reference lib="webworker" />
/**
 * The layout worker: runs elkjs off the main thread so panning and the rest of the page stay
 * responsive while a large graph is laid out. One request in, one answer out.
 */
import ELK from 'elkjs/lib/elk.bundled.js'
import type { GraphModel } from './graph-model.ts'
import { type GraphLayout, readBoxes, toElkGraph } from './layout.ts'

/** What the page sends: the graph and the hash it is cached under. */
export interface LayoutRequest {
  id: number
  hash: string
  graph: GraphModel
}

/** What the worker answers: the layout, or the error message. */
export type LayoutResponse = { id: number; layout: GraphLayout } | { id: number; error: string }

const elk = new ELK()
const scope = self as unknown as DedicatedWorkerGlobalScope

// elk.bundled.js installs its own message handler when loaded in a worker; this one replaces it.
scope.onmessage = async (event: MessageEvent<LayoutRequest>) => {
  const { id, hash, graph } = event.data
  const start = performance.now()
  try {
    const result = await elk.layout(toElkGraph(graph))
    const layout: GraphLayout = { hash, boxes: readBoxes(result), ms: performance.now() - start }
    scope.postMessage({ id, layout } satisfies LayoutResponse)
  } catch (e) {
    scope.postMessage({ id, error: (e as Error).message ?? String(e) } satisfies LayoutResponse)
  }
}
