import { afterEach, describe, expect, it, vi } from 'vitest'
import { ApiError, apiFetch, apiUrl, filenameFromDisposition, parseApiError } from './client.ts'

afterEach(() => vi.unstubAllGlobals())

describe('parseApiError', () => {
  it('reads code, message and the first field path', () => {
    const e = parseApiError(
      400,
      JSON.stringify({
        statusCode: 400,
        code: 'VALIDATION',
        message: 'invalid resource',
        errors: [
          {
            code: 'INVALID_VALUE',
            message: 'expected Allow, Deny, Log or Pass',
            path: 'spec.ingress[0].action',
            document: 0,
          },
        ],
      }),
    )
    expect(e).toBeInstanceOf(ApiError)
    expect([e.status, e.code, e.message, e.path]).toEqual([
      400,
      'VALIDATION',
      'invalid resource',
      'spec.ingress[0].action',
    ])
    expect(e.errors[0]?.document).toBe(0)
  })
  it('copes with bodies that are not JSON or not ours', () => {
    expect(parseApiError(502, 'Bad Gateway').message).toBe('Bad Gateway')
    expect(parseApiError(502, '').code).toBe('HTTP_502')
    expect(
      parseApiError(404, JSON.stringify({ error: 'Not Found', message: 'no such tier' })).code,
    ).toBe('NOT_FOUND')
  })
})

describe('filenameFromDisposition', () => {
  it.each([
    ['attachment; filename="tier-security.yaml"', 'tier-security.yaml'],
    ['attachment; filename=board.yaml', 'board.yaml'],
    ["attachment; filename*=UTF-8''na%C3%AFve.yaml", 'naïve.yaml'],
    [null, 'fallback.yaml'],
    ['attachment', 'fallback.yaml'],
  ])('%s → %s', (header, name) => {
    expect(filenameFromDisposition(header, 'fallback.yaml')).toBe(name)
  })
})

describe('apiFetch', () => {
  it('sends JSON and drops empty query values', async () => {
    const fetchMock = vi.fn(async () => new Response('{"ok":true}', { status: 200 }))
    vi.stubGlobal('fetch', fetchMock)
    await expect(
      apiFetch('/api/v1/apply', {
        method: 'POST',
        query: { dryRun: true, x: '' },
        body: { yaml: 'a' },
      }),
    ).resolves.toEqual({ ok: true })
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit]
    expect(url).toBe('/api/v1/apply?dryRun=true')
    expect(init.body).toBe('{"yaml":"a"}')
    expect((init.headers as Headers).get('content-type')).toBe('application/json')
  })
  it('throws ApiError on failure and on network errors', async () => {
    vi.stubGlobal(
      'fetch',
      async () => new Response('{"code":"CONFLICT","message":"stale"}', { status: 409 }),
    )
    await expect(apiFetch('/x')).rejects.toMatchObject({
      status: 409,
      code: 'CONFLICT',
      message: 'stale',
    })
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch')
    })
    await expect(apiFetch('/x')).rejects.toMatchObject({ status: 0, code: 'NETWORK' })
  })
  it('builds URLs', () => {
    expect(apiUrl('/a', { b: 1, c: undefined, d: false })).toBe('/a?b=1&d=false')
  })
})
