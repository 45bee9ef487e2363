import { useQuery } from '@tanstack/react-query'
import { ReactFlowProvider } from '@xyflow/react'
import { useMemo, useState } from 'react'
import { useSearchParams } from 'react-router'
import { Button, EmptyState, ErrorState, LoadingState } from '../../components/index.ts'
import { EdgePanel } from './EdgePanel.tsx'
import { GraphCanvas } from './GraphCanvas.tsx'
import { GraphToolbar } from './GraphToolbar.tsx'
import {
  buildGraph,
  deriveGraph,
  type GraphViewState,
  graphHash,
  namespacesOf,
  parseViewState,
  portsOf,
  viewStateParams,
} from './graph-model.ts'
import { Legend } from './Legend.tsx'
import { NodePanel } from './NodePanel.tsx'
import { graphQueries } from './queries.ts'
import { useGraphLayout } from './useGraphLayout.ts'
import './graph.css'

/** The service graph page: observed flows coloured by verdict, with filters held in the URL. */
export function ServiceGraphPage() {
  const [params, setParams] = useSearchParams()
  const state = useMemo(() => parseViewState(params), [params])
  const q = useQuery(graphQueries.verdicts())
  const [selectedNode, setSelectedNode] = useState<string>()
  const [selectedEdge, setSelectedEdge] = useState<string>()

  const update = (patch: Partial<GraphViewState>) => {
    const next: GraphViewState = { ...state, ...patch }
    for (const k of Object.keys(patch) as Array<keyof GraphViewState>) {
      if (patch[k] === undefined) delete next[k]
    }
    setParams(viewStateParams(next))
  }
  const tuples = q.data?.items ?? []
  const graph = useMemo(() => deriveGraph(tuples, state), [tuples, state])
  const allNamespaces = useMemo(() => namespacesOf(buildGraph(tuples, 'enforced')), [tuples])
  const allPorts = useMemo(() => portsOf(tuples), [tuples])
  const layout = useGraphLayout(graph)

  if (q.isPending) return <LoadingState label="Loading flows…" />
  if (q.isError) return <ErrorState error={q.error} onRetry={() => q.refetch()} />

  const drill = (namespace: string) => {
    setSelectedNode(undefined)
    setSelectedEdge(undefined)
    update({ namespaces: [namespace], expanded: [namespace], focus: undefined })
  }
  const node = graph.nodes.find((n) => n.id === selectedNode)
  const edge = graph.edges.find((e) => e.id === selectedEdge)
  const focusLabel = state.focus
    ? (graph.nodes.find((n) => n.id === state.focus)?.label ?? state.focus)
    : undefined
  const ready = layout.layout?.hash === graphHash(graph) ? layout.layout : undefined

  return (
    <div className="graph-page">
      <div className="graph-header">
        <nav
          className="graph-breadcrumbs"
          aria-label="Breadcrumbs"
          data-testid="service-graph.breadcrumbs"
        >
          <button
            type="button"
            className="link-button"
            onClick={() => update({ namespaces: [], expanded: undefined, focus: undefined })}
          >
            All namespaces
          </button>
          {state.namespaces.length > 0 ? (
            <>
              <span aria-hidden="true">›</span>
              <button
                type="button"
                className="link-button"
                onClick={() => update({ focus: undefined })}
              >
                {state.namespaces.join(', ')}
              </button>
            </>
          ) : null}
          {focusLabel ? (
            <>
              <span aria-hidden="true">›</span>
              <span className="mono">{focusLabel}</span>
              <Button size="sm" onClick={() => update({ focus: undefined })}>
                Show all
              </Button>
            </>
          ) : null}
        </nav>
        <GraphToolbar
          state={state}
          namespaces={allNamespaces}
          ports={allPorts}
          onChange={update}
          nodeCount={graph.nodes.length}
          edgeCount={graph.edges.length}
        />
      </div>
      <div className="graph-body">
        <div className="graph-canvas" data-testid="service-graph.canvas">
          {graph.nodes.length === 0 ? (
            <EmptyState title="No flows to show">
              {tuples.length === 0
                ? 'No flow logs stored in the last day.'
                : 'No flow matches the filters.'}
            </EmptyState>
          ) : ready ? (
            <ReactFlowProvider>
              <GraphCanvas
                graph={graph}
                layout={ready}
                focus={state.focus}
                selectedNode={selectedNode}
                selectedEdge={selectedEdge}
                onSelectNode={(id) => {
                  setSelectedNode(id)
                  setSelectedEdge(undefined)
                }}
                onSelectEdge={(id) => {
                  setSelectedEdge(id)
                  if (id) setSelectedNode(undefined)
                }}
                onDrill={drill}
              />
            </ReactFlowProvider>
          ) : null}
          {layout.isPending ? (
            <div className="graph-busy">Laying out {graph.nodes.length} nodes…</div>
          ) : null}
          {layout.error ? (
            <div className="graph-busy error">Layout failed: {layout.error}</div>
          ) : null}
          <Legend view={state.view} />
        </div>
        {node || edge ? (
          <aside className="graph-panel" aria-label="Details">
            <button
              type="button"
              className="graph-panel-close"
              aria-label="Close details"
              onClick={() => {
                setSelectedNode(undefined)
                setSelectedEdge(undefined)
              }}
            >
              ×
            </button>
            {node ? (
              <NodePanel
                node={node}
                graph={graph}
                view={state.view}
                onSelectEdge={(id) => {
                  setSelectedEdge(id)
                  setSelectedNode(undefined)
                }}
                onHideUnrelated={() => update({ focus: node.id })}
                onDrill={drill}
              />
            ) : null}
            {edge ? <EdgePanel key={edge.id} edge={edge} graph={graph} view={state.view} /> : null}
          </aside>
        ) : null}
      </div>
    </div>
  )
}
