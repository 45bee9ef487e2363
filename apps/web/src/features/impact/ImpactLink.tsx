import { Link } from 'react-router'
import './impact-link.css'
import { impactHref } from './links.ts'

/** A small "impact" link for a staged policy's card: opens the preview of that policy. */
export function ImpactLink({
  policy,
}: {
  policy: { kind: string; namespace?: string; name: string }
}) {
  return (
    <Link
      to={impactHref(policy)}
      className="impact-link"
      data-testid="impact.link"
      title="What enforcing this staged policy would do to stored flows"
      onClick={(e) => e.stopPropagation()}
      onPointerDown={(e) => e.stopPropagation()}
    >
      impact
    </Link>
  )
}
