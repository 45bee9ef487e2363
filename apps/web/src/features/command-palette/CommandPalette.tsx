import { useQuery } from '@tanstack/react-query'
import { useEffect, useId, useMemo, useRef, useState } from 'react'
import { createPortal } from 'react-dom'
import { useNavigate } from 'react-router'
import { boardQueries } from '../../api/queries.ts'
import { useTheme } from '../theme/index.ts'
import { type PaletteItem, paletteItems, rankItems } from './palette-model.ts'

/** Ctrl/Cmd-K toggles the palette; returns its open state. */
export function useCommandPaletteHotkey() {
  const [open, setOpen] = useState(false)
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k') {
        e.preventDefault()
        setOpen((o) => !o)
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])
  return { open, setOpen }
}

/** Jump to a policy, tier or namespace, or run an action, by typing. */
export function CommandPalette({ onClose }: { onClose: () => void }) {
  const board = useQuery(boardQueries.detail('24h'))
  const navigate = useNavigate()
  const { theme, setPreference } = useTheme()
  const [query, setQuery] = useState('')
  const [active, setActive] = useState(0)
  const listId = useId()
  const inputRef = useRef<HTMLInputElement>(null)
  const all = useMemo(() => paletteItems(board.data), [board.data])
  const results = useMemo(() => rankItems(all, query), [all, query])

  useEffect(() => inputRef.current?.focus(), [])

  const run = (item: PaletteItem | undefined) => {
    if (!item) return
    onClose()
    if (item.action === 'toggle-theme') setPreference(theme === 'dark' ? 'light' : 'dark')
    else if (item.href) navigate(item.href)
  }

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault()
      setActive((a) => Math.min(results.length - 1, a + 1))
    } else if (e.key === 'ArrowUp') {
      e.preventDefault()
      setActive((a) => Math.max(0, a - 1))
    } else if (e.key === 'Enter') {
      e.preventDefault()
      run(results[active])
    } else if (e.key === 'Escape') {
      e.preventDefault()
      onClose()
    }
  }

  return createPortal(
    // biome-ignore lint/a11y/noStaticElementInteractions: a click on the backdrop closes; Escape does the same from the keyboard
    <div
      className="dialog-backdrop palette-backdrop"
      onMouseDown={(e) => e.target === e.currentTarget && onClose()}
    >
      <div
        className="palette"
        role="dialog"
        aria-modal="true"
        aria-label="Command palette"
        data-testid="palette"
      >
        <input
          ref={inputRef}
          className="palette-input"
          role="combobox"
          aria-expanded="true"
          aria-controls={listId}
          aria-activedescendant={results[active] ? `${listId}-${active}` : undefined}
          placeholder="Jump to a policy, tier, namespace or action…"
          value={query}
          onChange={(e) => {
            setQuery(e.target.value)
            setActive(0)
          }}
          onKeyDown={onKeyDown}
        />
        <div className="palette-list" id={listId} role="listbox" aria-label="Results">
          {results.length === 0 ? <div className="palette-empty">No match</div> : null}
          {results.map((item, i) => (
            <div
              key={item.id}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              tabIndex={-1}
              className={`palette-item${i === active ? ' is-active' : ''}`}
              onMouseEnter={() => setActive(i)}
              onClick={() => run(item)}
              onKeyDown={undefined}
            >
              <span className={`palette-group palette-group-${item.group.toLowerCase()}`}>
                {item.group}
              </span>
              <span className="palette-label">{item.label}</span>
              {item.hint ? <span className="palette-hint">{item.hint}</span> : null}
            </div>
          ))}
        </div>
        <div className="palette-footer">
          <span>
            <kbd>↑</kbd>
            <kbd>↓</kbd> move
          </span>
          <span>
            <kbd>Enter</kbd> open
          </span>
          <span>
            <kbd>Esc</kbd> close
          </span>
        </div>
      </div>
    </div>,
    document.body,
  )
}
