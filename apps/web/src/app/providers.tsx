import { type QueryClient, QueryClientProvider } from '@tanstack/react-query'
import type { ReactNode } from 'react'
import { ThemeProvider } from '../features/theme/index.ts'
import { createQueryClient } from './query-client.ts'

const appQueryClient = createQueryClient()

/** Query client and theme; tests pass their own client. */
export function Providers({
  children,
  client = appQueryClient,
}: {
  children: ReactNode
  client?: QueryClient
}) {
  return (
    <QueryClientProvider client={client}>
      <ThemeProvider>{children}</ThemeProvider>
    </QueryClientProvider>
  )
}
