import { lazy, Suspense } from 'react'
import { createBrowserRouter, Navigate, type RouteObject } from 'react-router'
import { LoadingState } from '../components/index.ts'
import { DefaultDenyPage } from '../features/default-deny/index.ts'
import { FlowsPage } from '../features/flows/index.ts'
import { HistoryPage } from '../features/history/index.ts'
import { ImpactPage } from '../features/impact/index.ts'
import { PolicyDetailPage } from '../features/policy-detail/index.ts'
import { ReachPage } from '../features/reach/index.ts'
import { RecommendationsPage } from '../features/recommendations/index.ts'
import { ServiceGraphPage } from '../features/service-graph/index.ts'
import { TierBoardPage, TierPage } from '../features/tier-board/index.ts'
import { ImportPage } from '../features/yaml-io/index.ts'
import { AppShell } from './AppShell.tsx'
import { RouteError } from './RouteError.tsx'

// The editor pulls in CodeMirror; it loads when first opened.
const PolicyEditorPage = lazy(() =>
  import('../features/policy-editor/index.ts').then((m) => ({ default: m.PolicyEditorPage })),
)

function editor() {
  return (
    <Suspense fallback={<LoadingState label="Loading editor…" />}>
      <PolicyEditorPage />
    </Suspense>
  )
}

/** Every URL of the app. Filters live in search params, so back/forward restore them. */
export const routes: RouteObject[] = [
  {
    path: '/',
    element: <AppShell />,
    errorElement: <RouteError />,
    children: [
      { index: true, element: <Navigate to="/board" replace /> },
      { path: 'board', element: <TierBoardPage /> },
      { path: 'tiers/:name', element: <TierPage /> },
      { path: 'policies/new', element: editor() },
      { path: 'policies/:kind/:namespace?/:name/edit', element: editor() },
      { path: 'policies/:kind/:namespace?/:name', element: <PolicyDetailPage /> },
      { path: 'history', element: <HistoryPage /> },
      { path: 'import', element: <ImportPage /> },
      { path: 'impact', element: <ImpactPage /> },
      { path: 'flows', element: <FlowsPage /> },
      { path: 'reach', element: <ReachPage /> },
      { path: 'recommendations/:namespace?', element: <RecommendationsPage /> },
      { path: 'default-deny', element: <DefaultDenyPage /> },
      { path: 'graph', element: <ServiceGraphPage /> },
      { path: '*', element: <RouteError notFound /> },
    ],
  },
]

/** The browser router over `routes`. */
export function createAppRouter() {
  return createBrowserRouter(routes)
}
