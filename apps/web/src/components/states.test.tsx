import { render, screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { ApiError } from '../api/client.ts'
import { ErrorMessage } from './states.tsx'

describe('ErrorMessage', () => {
  it("shows an API error's code, message and every field path", () => {
    const error = new ApiError(400, 'VALIDATION', 'invalid policy', 'spec.order', [
      { code: 'INVALID_TYPE', message: 'expected a number', path: 'spec.order' },
      { code: 'REQUIRED_FIELD', message: 'expected a name', path: 'metadata.name' },
    ])
    render(<ErrorMessage error={error} title="Save failed" />)
    const alert = screen.getByRole('alert')
    expect(alert.textContent).toContain('Save failed')
    expect(alert.textContent).toContain('VALIDATION')
    expect(alert.textContent).toContain('invalid policy')
    expect(screen.getByText('spec.order').tagName).toBe('CODE')
    expect(screen.getByText('metadata.name')).toBeTruthy()
  })
  it('shows a plain error message', () => {
    render(<ErrorMessage error={new Error('boom')} />)
    expect(screen.getByRole('alert').textContent).toContain('boom')
  })
})
