/** Rendering helpers for the editor's component tests: a fresh QueryClient and a router. */
import type { Me } from '@policyboard/api'
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { render } from '@testing-library/react'
import type { ReactElement } from 'react'
import { MemoryRouter } from 'react-router'
import { vi } from 'vitest'
import { ADMIN_ME } from '../../test/render.tsx'
import { meQuery } from '../auth/me.ts'

// jsdom does no layout; CodeMirror measures text ranges, so give them empty geometry.
const emptyRect = {
  x: 0,
  y: 0,
  top: 0,
  left: 0,
  right: 0,
  bottom: 0,
  width: 0,
  height: 0,
  toJSON: () => ({}),
}
if (typeof Range !== 'undefined' && !Range.prototype.getClientRects) {
  Range.prototype.getClientRects = () =>
    Object.assign([], { item: () => null }) as unknown as DOMRectList
  Range.prototype.getBoundingClientRect = () => emptyRect as DOMRect
}

/**
 * Renders inside a new QueryClient (no retries) and a memory router at `path`, signed in as
 * `me` (an admin unless given).
 */
export function renderWithProviders(ui: ReactElement, path = '/', me: Me = ADMIN_ME) {
  const client = new QueryClient({
    defaultOptions: { queries: { retry: false }, mutations: { retry: false } },
  })
  client.setQueryData(meQuery.queryKey, me)
  return {
    client,
    ...render(
      <QueryClientProvider client={client}>
        <MemoryRouter initialEntries={[path]}>{ui}</MemoryRouter>
      </QueryClientProvider>,
    ),
  }
}

/** One recorded request of {@link mockFetch}. */
export interface RecordedRequest {
  method: string
  url: string
  body: unknown
}

/**
 * Replaces `fetch` with a router of canned answers: `handler` gets each request and
 * returns `[status, body]`. Every request is recorded.
 */
export function mockFetch(handler: (req: RecordedRequest) => [number, unknown]) {
  const calls: RecordedRequest[] = []
  const fn = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const req: RecordedRequest = {
      method: init?.method ?? 'GET',
      url: String(input),
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
    }
    calls.push(req)
    const [status, body] = handler(req)
    return new Response(body === undefined ? null : JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json' },
    })
  })
  vi.stubGlobal('fetch', fn)
  return calls
}
