import { Link, useRouteError } from 'react-router'
import { EmptyState, ErrorState } from '../components/index.ts'

/** Shown for unknown URLs and for errors thrown while rendering a route. */
export function RouteError({ notFound = false }: { notFound?: boolean }) {
  const error = useRouteError()
  if (notFound || !error) {
    return (
      <EmptyState title="Nothing here" action={<Link to="/board">Back to the board</Link>}>
        This address does not match any page.
      </EmptyState>
    )
  }
  return <ErrorState error={error} />
}
