import type { Me } from '@policyboard/api'
import { useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useState } from 'react'
import { useNavigate, useSearchParams } from 'react-router'
import { ApiError, apiFetch } from '../../api/client.ts'
import { Button } from '../../components/index.ts'
import { meQuery } from './me.ts'

/** Sign-in with a username and password, or with an API token. */
export function LoginPage() {
  const [mode, setMode] = useState<'password' | 'token'>('password')
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')
  const [token, setToken] = useState('')
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)
  const navigate = useNavigate()
  const [params] = useSearchParams()
  const client = useQueryClient()

  async function submit(e: FormEvent) {
    e.preventDefault()
    setBusy(true)
    setError(undefined)
    try {
      const me = await apiFetch<Me>('/api/v1/auth/login', {
        method: 'POST',
        body: mode === 'token' ? { token: token.trim() } : { username, password },
      })
      client.clear()
      client.setQueryData(meQuery.queryKey, me)
      const next = params.get('next')
      navigate(next?.startsWith('/') && !next.startsWith('//') ? next : '/board', { replace: true })
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <main className="login" data-testid="login">
      <form className="login-card" onSubmit={submit} aria-labelledby="login-title">
        <h1 id="login-title">
          <span className="brand-mark" aria-hidden="true">
            ▦
          </span>{' '}
          Sign in to Policyboard
        </h1>
        <div className="login-tabs" role="tablist">
          <button
            type="button"
            role="tab"
            aria-selected={mode === 'password'}
            onClick={() => setMode('password')}
          >
            Password
          </button>
          <button
            type="button"
            role="tab"
            aria-selected={mode === 'token'}
            onClick={() => setMode('token')}
          >
            API token
          </button>
        </div>
        {mode === 'password' ? (
          <>
            <label>
              Username
              <input
                name="username"
                autoComplete="username"
                value={username}
                onChange={(e) => setUsername(e.target.value)}
                required
              />
            </label>
            <label>
              Password
              <input
                name="password"
                type="password"
                autoComplete="current-password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
                required
              />
            </label>
          </>
        ) : (
          <label>
            API token
            <input
              name="token"
              type="password"
              autoComplete="off"
              value={token}
              onChange={(e) => setToken(e.target.value)}
              required
            />
          </label>
        )}
        {error ? (
          <p className="login-error" role="alert">
            {error}
          </p>
        ) : null}
        <Button type="submit" variant="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </Button>
        <p className="login-hint">
          First start? The server printed an admin API token once in its log (or use
          POLICYBOARD_ADMIN_TOKEN / POLICYBOARD_ADMIN_PASSWORD).
        </p>
      </form>
    </main>
  )
}
