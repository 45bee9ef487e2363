import type { SelectorInventory } from '@policyboard/policy-core'
import { fireEvent, render, screen, within } from '@testing-library/react'
import { useState } from 'react'
import { describe, expect, it, vi } from 'vitest'
import { SelectorBuilder } from './SelectorBuilder.tsx'

const inventory: SelectorInventory = {
  namespaces: [{ name: 'shop', labels: { team: 'a' } }],
  serviceAccounts: [],
  endpoints: [
    { name: 'web-1', namespace: 'shop', labels: { app: 'web', tier: 'front' } },
    { name: 'api-1', namespace: 'shop', labels: { app: 'api' } },
    { name: 'db-1', namespace: 'data', labels: { app: 'db' } },
  ],
}

function Harness({
  initial,
  onChange,
}: {
  initial?: string
  onChange?: (v: string | undefined) => void
}) {
  const [value, setValue] = useState(initial)
  return (
    <>
      <SelectorBuilder
        label="Selector"
        value={value}
        onChange={(v) => {
          setValue(v)
          onChange?.(v)
        }}
        subject="endpoint"
        path="spec.selector"
        inventory={inventory}
      />
      <output data-testid="model">{value ?? '<unset>'}</output>
    </>
  )
}

const text = () => screen.getByRole('textbox', { name: 'Selector' }) as HTMLInputElement
const model = () => screen.getByTestId('model').textContent

describe('SelectorBuilder', () => {
  it('shows a plain AND of terms as rows', () => {
    render(<Harness initial={'app == "web" && has(tier)'} />)
    expect(screen.getAllByTestId('selector-builder.row')).toHaveLength(2)
    expect((screen.getByLabelText('Selector row 1 key') as HTMLInputElement).value).toBe('app')
    expect((screen.getByLabelText('Selector row 2 operator') as HTMLSelectElement).value).toBe(
      'has',
    )
  })

  it('writes canonical text when a row changes', () => {
    const onChange = vi.fn()
    render(<Harness initial={'app == "web"'} onChange={onChange} />)
    fireEvent.change(screen.getByLabelText('Selector row 1 value'), { target: { value: 'api' } })
    expect(model()).toBe('app == "api"')
    expect(text().value).toBe('app == "api"')
    fireEvent.change(screen.getByLabelText('Selector row 1 operator'), {
      target: { value: '!has' },
    })
    expect(model()).toBe('!has(app)')
  })

  it('adds a term only once it has a key and a value', () => {
    render(<Harness initial={'app == "web"'} />)
    fireEvent.click(screen.getByRole('button', { name: '+ Add term' }))
    expect(model()).toBe('app == "web"')
    fireEvent.change(screen.getByLabelText('Selector row 2 key'), { target: { value: 'tier' } })
    expect(model()).toBe('app == "web"')
    fireEvent.change(screen.getByLabelText('Selector row 2 value'), { target: { value: 'front' } })
    expect(model()).toBe('(app == "web" && tier == "front")')
  })

  it('follows the text as it is typed, rows included', () => {
    render(<Harness />)
    fireEvent.change(text(), { target: { value: "env in {'b','a'}" } })
    expect(model()).toBe("env in {'b','a'}")
    expect((screen.getByLabelText('Selector row 1 operator') as HTMLSelectElement).value).toBe('in')
    expect(screen.getByTestId('selector-builder').textContent).toContain('a×b×')
    fireEvent.change(text(), { target: { value: '' } })
    expect(model()).toBe('<unset>')
  })

  it('underlines a parse error at its range and says what was expected', () => {
    render(<Harness />)
    fireEvent.change(text(), { target: { value: 'app == "web" && (' } })
    const error = screen.getByTestId('selector-builder.error')
    expect(error.querySelector('mark')?.textContent?.length).toBeGreaterThan(0)
    expect(error.textContent).toMatch(/expected/)
    expect(text().getAttribute('aria-invalid')).toBe('true')
  })

  it('falls back to text for selectors rows cannot express', () => {
    render(<Harness initial={'app == "web" || app == "api"'} />)
    expect(screen.getByTestId('selector-builder.text-only')).toBeTruthy()
    expect(screen.queryAllByTestId('selector-builder.row')).toHaveLength(0)
  })

  it('lists the endpoints the selector matches now, live', () => {
    render(<Harness initial={'app == "web"'} />)
    const matches = () => screen.getByTestId('selector-builder.matches')
    expect(matches().textContent).toContain('Matches 1 endpoint now')
    expect(within(matches()).getByText('shop/web-1')).toBeTruthy()
    fireEvent.change(text(), { target: { value: 'projectcalico.org/namespace == "shop"' } })
    expect(matches().textContent).toContain('Matches 2 endpoints now')
    fireEvent.change(text(), { target: { value: 'app == "nope"' } })
    expect(matches().textContent).toContain('Matches no endpoint now')
  })

  it('offers the inventory label keys and values for autocompletion', () => {
    const { container } = render(<Harness initial={'app == "web"'} />)
    const options = [...container.querySelectorAll('datalist option')].map((o) =>
      o.getAttribute('value'),
    )
    expect(options).toContain('app')
    expect(options).toContain('projectcalico.org/namespace')
    expect(options).toEqual(expect.arrayContaining(['api', 'db', 'web']))
  })
})
