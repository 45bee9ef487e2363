import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect } from 'react'
import { Navigate, NavLink, Outlet, useLocation, useNavigate } from 'react-router'
import { ApiError, apiFetch, UNAUTHORIZED_EVENT } from '../api/client.ts'
import { LoadingState } from '../components/index.ts'
import { canFrom, meQuery } from '../features/auth/index.ts'
import { CommandPalette, useCommandPaletteHotkey } from '../features/command-palette/index.ts'
import { ThemeToggle } from '../features/theme/index.ts'

/**
 * Top bar with navigation, palette trigger, the signed-in user and theme toggle; pages
 * render below. Without a session the user is sent to the login page; actions the user may
 * not take are not offered (the server refuses them anyway).
 */
export function AppShell() {
  const palette = useCommandPaletteHotkey()
  const me = useQuery(meQuery)
  const location = useLocation()
  const navigate = useNavigate()
  const client = useQueryClient()
  const next = `${location.pathname}${location.search}`

  useEffect(() => {
    const onUnauthorized = () => {
      client.clear()
      navigate(
        `/login?next=${encodeURIComponent(window.location.pathname + window.location.search)}`,
      )
    }
    window.addEventListener(UNAUTHORIZED_EVENT, onUnauthorized)
    return () => window.removeEventListener(UNAUTHORIZED_EVENT, onUnauthorized)
  }, [client, navigate])

  if (me.isError && me.error instanceof ApiError && me.error.status === 401) {
    return <Navigate to={`/login?next=${encodeURIComponent(next)}`} replace />
  }
  if (me.isPending) return <LoadingState label="Signing in…" />
  const can = canFrom(me.data)

  async function logout() {
    await apiFetch('/api/v1/auth/logout', { method: 'POST' }).catch(() => undefined)
    client.clear()
    navigate('/login', { replace: true })
  }

  return (
    <div className="shell">
      <header className="topbar">
        <NavLink to="/board" className="brand" aria-label="Policyboard home">
          <span className="brand-mark" aria-hidden="true">
            ▦
          </span>
          Policyboard
        </NavLink>
        <nav className="topnav" aria-label="Main">
          <NavLink to="/board">Board</NavLink>
          <NavLink to="/impact">Impact</NavLink>
          <NavLink to="/flows">Flows</NavLink>
          <NavLink to="/graph">Graph</NavLink>
          <NavLink to="/reach">Reach</NavLink>
          <NavLink to="/recommendations">Recommendations</NavLink>
          <NavLink to="/default-deny">Default deny</NavLink>
          <NavLink to="/history">History</NavLink>
          <NavLink to="/lint">Lint</NavLink>
          {can.writeAny ? <NavLink to="/import">Import</NavLink> : null}
          {can.writeAny ? <NavLink to="/policies/new">New policy</NavLink> : null}
          {can.admin ? <NavLink to="/audit">Audit</NavLink> : null}
        </nav>
        <div className="topbar-right">
          <button
            type="button"
            className="palette-trigger"
            data-testid="palette.open"
            onClick={() => palette.setOpen(true)}
          >
            <span>Search or jump to…</span>
            <kbd>Ctrl K</kbd>
          </button>
          <ThemeToggle />
          {me.data ? (
            <span className="user-menu" data-testid="user-menu">
              <span title={me.data.user.admin ? 'admin' : 'signed in'}>{me.data.user.name}</span>
              <button type="button" className="btn btn-ghost btn-sm" onClick={logout}>
                Sign out
              </button>
            </span>
          ) : null}
        </div>
      </header>
      <main className="content">
        <Outlet />
      </main>
      {palette.open ? <CommandPalette onClose={() => palette.setOpen(false)} /> : null}
    </div>
  )
}
