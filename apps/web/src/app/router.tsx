import { type ComponentType, lazy, Suspense } from 'react'
import { createBrowserRouter, Navigate, type RouteObject } from 'react-router'
import { LoadingState } from '../components/index.ts'
import { LoginPage } from '../features/auth/index.ts'
import { loadTierPage, TierBoardPage } from '../features/tier-board/index.ts'
import { AppShell } from './AppShell.tsx'
import { RouteError } from './RouteError.tsx'

/**
 * A page loaded on first visit: the board (the landing page) is in the main chunk; every
 * other page, with what only it needs (CodeMirror, React Flow, charts), comes in its own.
 */
function lazyPage(load: () => Promise<{ default: ComponentType }>, label: string) {
  const Page = lazy(load)
  return (
    <Suspense fallback={<LoadingState label={label} />}>
      <Page />
    </Suspense>
  )
}

const editor = () =>
  lazyPage(
    () =>
      import('../features/policy-editor/index.ts').then((m) => ({ default: m.PolicyEditorPage })),
    'Loading editor…',
  )

/** Every URL of the app. Filters live in search params, so back/forward restore them. */
export const routes: RouteObject[] = [
  { path: '/login', element: <LoginPage />, errorElement: <RouteError /> },
  {
    path: '/',
    element: <AppShell />,
    errorElement: <RouteError />,
    children: [
      { index: true, element: <Navigate to="/board" replace /> },
      { path: 'board', element: <TierBoardPage /> },
      {
        path: 'tiers/:name',
        element: lazyPage(loadTierPage, 'Loading tier…'),
      },
      { path: 'policies/new', element: editor() },
      { path: 'policies/:kind/:namespace?/:name/edit', element: editor() },
      {
        path: 'policies/:kind/:namespace?/:name',
        element: lazyPage(
          () =>
            import('../features/policy-detail/index.ts').then((m) => ({
              default: m.PolicyDetailPage,
            })),
          'Loading policy…',
        ),
      },
      {
        path: 'history',
        element: lazyPage(
          () => import('../features/history/index.ts').then((m) => ({ default: m.HistoryPage })),
          'Loading history…',
        ),
      },
      {
        path: 'lint',
        element: lazyPage(
          () => import('../features/lint/index.ts').then((m) => ({ default: m.LintPage })),
          'Loading lint…',
        ),
      },
      {
        path: 'import',
        element: lazyPage(
          () => import('../features/yaml-io/index.ts').then((m) => ({ default: m.ImportPage })),
          'Loading import…',
        ),
      },
      {
        path: 'impact',
        element: lazyPage(
          () => import('../features/impact/index.ts').then((m) => ({ default: m.ImpactPage })),
          'Loading impact preview…',
        ),
      },
      {
        path: 'flows',
        element: lazyPage(
          () => import('../features/flows/index.ts').then((m) => ({ default: m.FlowsPage })),
          'Loading flows…',
        ),
      },
      {
        path: 'reach',
        element: lazyPage(
          () => import('../features/reach/index.ts').then((m) => ({ default: m.ReachPage })),
          'Loading reach…',
        ),
      },
      {
        path: 'recommendations/:namespace?',
        element: lazyPage(
          () =>
            import('../features/recommendations/index.ts').then((m) => ({
              default: m.RecommendationsPage,
            })),
          'Loading recommendations…',
        ),
      },
      {
        path: 'default-deny',
        element: lazyPage(
          () =>
            import('../features/default-deny/index.ts').then((m) => ({
              default: m.DefaultDenyPage,
            })),
          'Loading default deny…',
        ),
      },
      {
        path: 'graph',
        element: lazyPage(
          () =>
            import('../features/service-graph/index.ts').then((m) => ({
              default: m.ServiceGraphPage,
            })),
          'Loading service graph…',
        ),
      },
      {
        path: 'audit',
        element: lazyPage(
          () => import('../features/auth/AuditPage.tsx').then((m) => ({ default: m.AuditPage })),
          'Loading audit log…',
        ),
      },
      { path: '*', element: <RouteError notFound /> },
    ],
  },
]

/** The browser router over `routes`. */
export function createAppRouter() {
  return createBrowserRouter(routes)
}
