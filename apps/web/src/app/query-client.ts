/** The app's one QueryClient and its defaults. Tests build their own (src/test/render.tsx). */
import { QueryClient } from '@tanstack/react-query'
import { ApiError } from '../api/client.ts'

/** Client errors (4xx) will not fix themselves; retry only network failures and 5xx, twice. */
function shouldRetry(failureCount: number, error: unknown): boolean {
  if (error instanceof ApiError && error.status >= 400 && error.status < 500) return false
  return failureCount < 2
}

/** Creates the QueryClient with Policyboard's defaults. */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // Board data changes when someone edits it; 10 s keeps tab switches cheap.
        staleTime: 10_000,
        gcTime: 5 * 60_000,
        retry: shouldRetry,
        refetchOnWindowFocus: true,
      },
      mutations: { retry: false },
    },
  })
}
