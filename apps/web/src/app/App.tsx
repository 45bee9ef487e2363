import { RouterProvider } from 'react-router'
import { Providers } from './providers.tsx'
import { createAppRouter } from './router.tsx'

const router = createAppRouter()

/** The whole app: providers around the router. */
export function App() {
  return (
    <Providers>
      <RouterProvider router={router} />
    </Providers>
  )
}
