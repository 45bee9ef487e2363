import { NavLink, Outlet } from 'react-router'
import { CommandPalette, useCommandPaletteHotkey } from '../features/command-palette/index.ts'
import { ThemeToggle } from '../features/theme/index.ts'

/** Top bar with navigation, palette trigger and theme toggle; pages render below. */
export function AppShell() {
  const palette = useCommandPaletteHotkey()
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
          <NavLink to="/import">Import</NavLink>
          <NavLink to="/policies/new">New policy</NavLink>
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
        </div>
      </header>
      <main className="content">
        <Outlet />
      </main>
      {palette.open ? <CommandPalette onClose={() => palette.setOpen(false)} /> : null}
    </div>
  )
}
