import { RESOURCE_PATHS } from '@policyboard/api'

/**
 * The authorization decision of every route, in one table. A route the table does not decide
 * is refused to everyone but admins and listed by `undecidedRoutes` (the authz test fails on
 * it), so a new route cannot ship without a decision.
 *
 * - `public`: no credentials (health, login, the web app's files, API docs);
 * - `authenticated`: any logged-in user (who am I, logout, own tokens);
 * - `read`: any user with a role; responses leave out or redact policies of tiers the user
 *   cannot read;
 * - `write`: a user with an editor or admin role; the handler checks each resource against
 *   its tier and namespace (all or nothing);
 * - `admin`: admins only (tiers, users, audit, inventory, flow-log ingestion, cluster kinds).
 */
export type AuthzLevel = 'public' | 'authenticated' | 'read' | 'write' | 'admin'

const API = '/api/v1'

/** Kinds whose writes are cluster configuration (admin only). */
const ADMIN_KINDS = new Set(['Tier', 'GlobalNetworkSet', 'HostEndpoint'])

function table(): Map<string, AuthzLevel> {
  const t = new Map<string, AuthzLevel>()
  const set = (method: string, url: string, level: AuthzLevel) =>
    t.set(`${method} ${API}${url}`, level)
  set('POST', '/auth/login', 'public')
  set('POST', '/auth/logout', 'authenticated')
  set('GET', '/me', 'authenticated')
  set('GET', '/tokens', 'authenticated')
  set('POST', '/tokens', 'authenticated')
  set('DELETE', '/tokens/:id', 'authenticated')
  set('GET', '/users', 'admin')
  set('PUT', '/users/:name', 'admin')
  set('DELETE', '/users/:name', 'admin')
  set('GET', '/audit', 'admin')
  set('GET', '/audit/export', 'admin')
  for (const [kind, path] of Object.entries(RESOURCE_PATHS)) {
    const base = path.namespaced ? `/namespaces/:namespace/${path.plural}` : `/${path.plural}`
    const write: AuthzLevel = ADMIN_KINDS.has(kind) ? 'admin' : 'write'
    if (path.namespaced) set('GET', `/${path.plural}`, 'read')
    set('GET', base, 'read')
    set('POST', base, write)
    set('GET', `${base}/:name`, 'read')
    set('PUT', `${base}/:name`, write)
    set('DELETE', `${base}/:name`, write)
  }
  set('POST', '/apply', 'write')
  set('GET', '/export', 'read')
  set('GET', '/revisions', 'read')
  set('GET', '/revisions/export', 'read')
  set('GET', '/revisions/:id', 'read')
  set('POST', '/revisions/:id/rollback', 'write')
  set('GET', '/inventory', 'read')
  set('PUT', '/inventory', 'admin')
  for (const part of ['namespaces', 'serviceaccounts', 'endpoints']) {
    set('GET', `/inventory/${part}`, 'read')
    set('PUT', `/inventory/${part}`, 'admin')
  }
  set('POST', '/flowlogs', 'admin')
  set('GET', '/flowlogs', 'read')
  set('GET', '/flowlogs/aggregate', 'read')
  set('GET', '/policies', 'read')
  set('GET', '/board', 'read')
  set('POST', '/policies/reorder', 'write')
  set('POST', '/simulate', 'read')
  set('GET', '/verdicts', 'read')
  set('POST', '/verdicts', 'read')
  set('POST', '/impact', 'read')
  set('POST', '/explain', 'read')
  set('GET', '/recommendations', 'read')
  set('GET', '/recommendations/default-deny', 'read')
  set('POST', '/recommendations/default-deny', 'write')
  set('GET', '/recommendations/:namespace', 'read')
  set('POST', '/recommendations/:namespace', 'write')
  set('POST', '/recommendations/:namespace/decision', 'write')
  set('GET', '/endpoints/:namespace/:name/policies', 'read')
  set('GET', '/lint', 'read')
  set('POST', '/lint', 'read')
  set('GET', '/lint/label-rules', 'read')
  set('PUT', '/lint/label-rules', 'admin')
  set('GET', '/lint', 'read')
  set('POST', '/lint', 'read')
  set('GET', '/lint/label-rules', 'read')
  set('PUT', '/lint/label-rules', 'admin')
  return t
}

const DECISIONS = table()

/**
 * The decision for a route, or undefined when the table has none. HEAD follows GET; routes
 * outside `/api/` (the web app's files) and the API docs are public.
 */
export function decisionFor(method: string, url: string): AuthzLevel | undefined {
  const m = method === 'HEAD' ? 'GET' : method
  if (url === '/healthz' || url === '/readyz') return 'public'
  if (url === '/api/docs' || url.startsWith('/api/docs/')) return 'public'
  if (!url.startsWith('/api/') && url !== '/api') return 'public'
  return DECISIONS.get(`${m} ${url}`)
}
