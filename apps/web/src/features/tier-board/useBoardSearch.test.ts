import { describe, expect, it } from 'vitest'
import { parseBoardSearch, patchBoardSearch } from './useBoardSearch.ts'

describe('board URL state', () => {
  it('parses every filter, with defaults for unknown values', () => {
    const s = parseBoardSearch(
      new URLSearchParams(
        'q=web&ns=shop&kind=global&state=staged&endpoint=shop/a&window=7d&expand=kube-admin,kube-baseline',
      ),
    )
    expect(s).toEqual({
      filter: { text: 'web', namespace: 'shop', kind: 'global', state: 'staged' },
      endpoint: 'shop/a',
      window: '7d',
      expanded: ['kube-admin', 'kube-baseline'],
      dialog: '',
    })
    const d = parseBoardSearch(new URLSearchParams('kind=bogus&window=5y'))
    expect([d.filter.kind, d.window]).toEqual(['', '24h'])
  })
  it('writes changes and drops empty values and the default window', () => {
    const next = patchBoardSearch(new URLSearchParams('q=web&window=1h'), {
      text: '',
      window: '24h',
      kind: 'kubernetes',
      expanded: ['kube-admin'],
    })
    expect(next.toString()).toBe('kind=kubernetes&expand=kube-admin')
  })
})
