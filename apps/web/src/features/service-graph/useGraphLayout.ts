import { useEffect, useRef, useState } from 'react'
import { type GraphModel, graphHash } from './graph-model.ts'
import type { GraphLayout } from './layout.ts'
import type { LayoutRequest, LayoutResponse } from './layout.worker.ts'

/** Layouts by graph hash: colours and volumes change without a new layout. Bounded, oldest out. */
const cache = new Map<string, GraphLayout>()
const CACHE_SIZE = 20

let worker: Worker | undefined
let nextId = 1
const waiting = new Map<number, (r: LayoutResponse) => void>()

function layoutWorker(): Worker {
  if (!worker) {
    worker = new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module' })
    worker.onmessage = (event: MessageEvent<LayoutResponse>) => {
      waiting.get(event.data.id)?.(event.data)
      waiting.delete(event.data.id)
    }
  }
  return worker
}

function requestLayout(hash: string, graph: GraphModel): Promise<GraphLayout> {
  const id = nextId++
  return new Promise((resolve, reject) => {
    waiting.set(id, (r) => ('layout' in r ? resolve(r.layout) : reject(new Error(r.error))))
    layoutWorker().postMessage({ id, hash, graph } satisfies LayoutRequest)
  })
}

/** The state of a layout: the last finished one (possibly for an older graph) and any error. */
export interface GraphLayoutState {
  layout: GraphLayout | undefined
  /** True while the current graph's layout is being computed. */
  isPending: boolean
  error: string | undefined
}

/** Lays out `graph` in the worker, caching by `graphHash`; keeps the previous layout meanwhile. */
export function useGraphLayout(graph: GraphModel): GraphLayoutState {
  const hash = graphHash(graph)
  const [state, setState] = useState<GraphLayoutState>(() => ({
    layout: cache.get(hash),
    isPending: !cache.has(hash),
    error: undefined,
  }))
  // The hash stands for the graph's shape: a new graph object of the same shape reuses it.
  const latest = useRef(graph)
  latest.current = graph
  useEffect(() => {
    const hit = cache.get(hash)
    if (hit) {
      setState({ layout: hit, isPending: false, error: undefined })
      return
    }
    let live = true
    setState((s) => ({ ...s, isPending: true, error: undefined }))
    requestLayout(hash, latest.current).then(
      (layout) => {
        cache.set(hash, layout)
        if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string)
        if (live) setState({ layout, isPending: false, error: undefined })
      },
      (e: Error) => {
        if (live) setState((s) => ({ ...s, isPending: false, error: e.message }))
      },
    )
    return () => {
      live = false
    }
  }, [hash])
  return state
}
