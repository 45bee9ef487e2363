import { describe, expect, it } from 'vitest'
import type { GlobalNetworkSet, NetworkSet } from '../resources/types.ts'
import { classifyAddress, isIPAddress, longestPrefixNetworkSet } from './address.ts'

describe('classifyAddress', () => {
  const ROWS: Array<[string, 'pvt' | 'pub']> = [
    ['10.0.0.1', 'pvt'],
    ['10.255.255.255', 'pvt'],
    ['172.16.0.1', 'pvt'],
    ['172.31.255.254', 'pvt'],
    ['172.15.255.255', 'pub'], // just below 172.16/12
    ['172.32.0.1', 'pub'], // just above 172.16/12
    ['192.168.1.1', 'pvt'],
    ['192.169.0.1', 'pub'],
    ['11.0.0.1', 'pub'],
    ['8.8.8.8', 'pub'],
    ['127.0.0.1', 'pub'], // loopback is not RFC 1918
    ['100.64.0.1', 'pub'], // carrier-grade NAT is not RFC 1918
    ['169.254.1.1', 'pub'], // link-local is not RFC 1918
    ['fd00::1', 'pub'], // every IPv6 address is pub, even unique-local
    ['fe80::1', 'pub'],
    ['::ffff:10.0.0.1', 'pub'], // an IPv4-mapped IPv6 address is still IPv6
    ['2001:db8::1', 'pub'],
    ['not-an-ip', 'pub'],
  ]
  it.each(ROWS)('%s is %s', (ip, want) => {
    expect(classifyAddress(ip)).toBe(want)
  })
})

describe('isIPAddress', () => {
  it.each([
    ['10.0.0.1', true],
    ['255.255.255.255', true],
    ['::', true],
    ['::1', true],
    ['2001:db8:0:0:0:0:0:1', true],
    ['::ffff:192.0.2.1', true],
    ['256.0.0.1', false],
    ['10.0.0', false],
    ['1::2::3', false],
    ['2001:db8:0:0:0:0:0:0:1', false],
    ['10.0.0.1/32', false],
    ['', false],
  ] as Array<[string, boolean]>)('%s → %s', (s, want) => {
    expect(isIPAddress(s)).toBe(want)
  })
})

describe('longestPrefixNetworkSet', () => {
  const gns = (name: string, nets: string[]): GlobalNetworkSet => ({
    apiVersion: 'projectcalico.org/v3',
    kind: 'GlobalNetworkSet',
    metadata: { name },
    spec: { nets },
  })
  const ns = (namespace: string, name: string, nets: string[]): NetworkSet => ({
    apiVersion: 'projectcalico.org/v3',
    kind: 'NetworkSet',
    metadata: { name, namespace },
    spec: { nets },
  })
  const sets = [
    gns('partners', ['198.51.100.0/24', '203.0.113.0/24']),
    ns('storefront', 'payment-gateway', ['203.0.113.16/28']),
    gns('everything-v6', ['2001:db8::/32']),
    gns('host-bits', ['192.0.2.77/24']), // host bits are masked
    gns('broken', ['not-a-cidr', '10.0.0.0/33']),
    ns('a', 'twin', ['100.100.0.0/16']),
    gns('twin', ['100.100.0.0/16']),
  ]
  const ROWS: Array<[string, string | undefined, number | undefined]> = [
    ['198.51.100.9', 'partners', 24],
    ['203.0.113.20', 'payment-gateway', 28], // /28 beats /24
    ['203.0.113.200', 'partners', 24],
    ['2001:db8:1::5', 'everything-v6', 32],
    ['192.0.2.1', 'host-bits', 24],
    ['10.0.0.1', undefined, undefined],
    ['8.8.8.8', undefined, undefined],
    ['100.100.1.1', 'twin', 16],
  ]
  it.each(ROWS)('%s → %s', (ip, name, prefix) => {
    const m = longestPrefixNetworkSet(ip, sets)
    expect(m?.set.metadata.name).toBe(name)
    expect(m?.prefixLength).toBe(prefix)
  })
  it('breaks equal prefixes by namespace/name, whatever the input order', () => {
    const a = longestPrefixNetworkSet('100.100.1.1', sets)
    const b = longestPrefixNetworkSet('100.100.1.1', [...sets].reverse())
    expect(a?.set.kind).toBe('GlobalNetworkSet') // '/twin' sorts before 'a/twin'
    expect(b?.set).toBe(a?.set)
  })
  it('returns the CIDR that matched, as written', () => {
    expect(longestPrefixNetworkSet('192.0.2.1', sets)?.cidr).toBe('192.0.2.77/24')
  })
})
