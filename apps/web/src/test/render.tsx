/** Rendering helpers for web tests: a fresh QueryClient (no retries) and a memory router per test. */
import type { Me } from '@policyboard/api'
import { QueryClient } from '@tanstack/react-query'
import { render } from '@testing-library/react'
import type { ReactElement } from 'react'
import { createMemoryRouter, RouterProvider } from 'react-router'
import { vi } from 'vitest'
import { Providers } from '../app/providers.tsx'

/** A QueryClient for one test: no retries, no refetch on focus. */
export function testQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: false, refetchOnWindowFocus: false, staleTime: Number.POSITIVE_INFINITY },
      mutations: { retry: false },
    },
  })
}

/** Renders `element` at `url` (matched by `path`) inside the app's providers. */
export function renderRoute(
  element: ReactElement,
  { path = '/', url = '/' }: { path?: string; url?: string } = {},
) {
  const client = testQueryClient()
  const router = createMemoryRouter(
    [
      { path, element },
      { path: '*', element: <div data-testid="elsewhere" /> },
    ],
    { initialEntries: [url] },
  )
  const utils = render(
    <Providers client={client}>
      <RouterProvider router={router} />
    </Providers>,
  )
  return { ...utils, client, router }
}

/** `GET /api/v1/me` of an admin. */
export const ADMIN_ME: Me = {
  user: { name: 'admin', admin: true },
  via: 'session',
  roles: [{ role: 'admin' }],
  tiers: [],
}

/** `GET /api/v1/me` of a non-admin with `roles` and its permissions per tier. */
export function meOf(name: string, roles: Me['roles'], tiers: Me['tiers']): Me {
  return { user: { name, admin: false }, via: 'session', roles, tiers }
}

/** One recorded request. */
export interface Call {
  method: string
  url: string
  body: unknown
}

/** A canned answer: status and JSON body (or a function of the call). */
export type Answer = { status?: number; body?: unknown; headers?: Record<string, string> }

/**
 * Replaces `fetch` with a table `"METHOD /path" → answer` (query strings ignored); records
 * every call. Unknown routes answer 404 so a missing stub fails loudly.
 */
export function mockApi(routes: Record<string, Answer | ((call: Call) => Answer)>) {
  // Signed in as an admin unless the table says who: pages show every action.
  routes = { 'GET /api/v1/me': { body: ADMIN_ME }, ...routes }
  const calls: Call[] = []
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input)
    const method = (init?.method ?? 'GET').toUpperCase()
    const body = typeof init?.body === 'string' ? JSON.parse(init.body) : undefined
    const call = { method, url, body }
    calls.push(call)
    const key = `${method} ${url.split('?')[0]}`
    const route = routes[key]
    const answer = typeof route === 'function' ? route(call) : route
    if (!answer) {
      return new Response(
        JSON.stringify({ statusCode: 404, code: 'NOT_FOUND', message: `no stub for ${key}` }),
        {
          status: 404,
        },
      )
    }
    return new Response(answer.body === undefined ? null : JSON.stringify(answer.body), {
      status: answer.status ?? 200,
      headers: { 'content-type': 'application/json', ...answer.headers },
    })
  })
  vi.stubGlobal('fetch', fetchMock)
  return { calls, fetchMock }
}
