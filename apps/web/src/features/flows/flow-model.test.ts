import { describe, expect, it } from 'vitest'
import {
  apiQuery,
  filtersFromParams,
  paramsFromFilters,
  policiesOf,
  sideLabel,
  toCsv,
  toJsonLines,
} from './flow-model.ts'

describe('flow explorer filters', () => {
  it('round-trips through the URL and drops unknown windows and empty values', () => {
    const f = filtersFromParams(
      new URLSearchParams('window=7d&namespace=shop&action=deny&port=&x=1'),
    )
    expect(f).toEqual({ window: '7d', values: { namespace: 'shop', action: 'deny' } })
    expect(paramsFromFilters(f).toString()).toBe('window=7d&namespace=shop&action=deny')
    expect(filtersFromParams(new URLSearchParams('window=2y')).window).toBe('24h')
  })

  it('builds the API query, leaving out one key for autocomplete', () => {
    const f = filtersFromParams(new URLSearchParams('namespace=shop&port=443&protocol=TCP'))
    expect(apiQuery(f, 100000)).toEqual({
      from: 13600,
      namespace: 'shop',
      port: 443,
      protocol: 'tcp',
    })
    expect(apiQuery(f, 100000, 'namespace')).toEqual({ from: 13600, port: 443, protocol: 'tcp' })
  })
})

describe('flow exports', () => {
  const r = {
    start_time: 1,
    action: 'allow',
    source_namespace: 'shop',
    source_name: '-',
    source_name_aggr: 'web-*',
    source_ip: null,
    dest_namespace: '-',
    dest_name: '-',
    dest_name_aggr: 'pub',
    dest_ip: '8.8.8.8',
    proto: 'tcp',
    policies: {
      enforced_policies: [
        '0|default|shop/default.a,b|allow|0',
        '1|__PROFILE__|__PROFILE__.kns.shop|allow|0',
      ],
    },
  }

  it('quotes CSV cells with commas and quotes, objects as JSON', () => {
    const csv = toCsv([r]).split('\n')
    expect(csv[0]?.startsWith('start_time,end_time,action')).toBe(true)
    expect(csv[1]).toContain('"{""enforced_policies"":')
    expect(csv[1]?.startsWith('1,,allow,')).toBe(true)
  })

  it('writes one JSON object per line', () => {
    expect(toJsonLines([r, r]).split('\n')).toHaveLength(3)
  })

  it('labels sides and lists policies without profiles', () => {
    expect(sideLabel(r, 'source')).toBe('shop/web-*')
    expect(sideLabel(r, 'dest')).toBe('pub (8.8.8.8)')
    expect(policiesOf(r)).toEqual(['shop/default.a,b'])
  })
})

describe('flow chart buckets', () => {
  it('fills the window with empty buckets between stored ones', async () => {
    const { fillBuckets } = await import('./FlowChart.tsx')
    const out = fillBuckets([{ start: 7200, allowed: 1, denied: 2, records: 1 }], 3700, 14400, 3600)
    expect(out.map((b) => [b.start, b.allowed + b.denied])).toEqual([
      [3600, 0],
      [7200, 3],
      [10800, 0],
    ])
  })
})
