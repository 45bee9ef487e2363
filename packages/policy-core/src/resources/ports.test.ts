import { describe, expect, it } from 'vitest'
import { cidrContains, parseCidr, parseIP } from './cidr.ts'
import { isValidPortName, parsePort, parseProtocol } from './ports.ts'

describe('ports and protocols', () => {
  it.each([
    [80, 80],
    ['80', 80],
    ['1:65535', '1:65535'],
    ['7:7', 7],
    ['http', 'http'],
    ['serve-80-tcp', 'serve-80-tcp'],
  ])('parses port %j', (input, want) => {
    expect(parsePort(input)).toEqual({ ok: true, value: want })
  })

  it.each([
    0,
    65536,
    1.5,
    -1,
    '0:10',
    '10:5',
    '1:65536',
    'Http',
    'a_b',
    '-ab',
    'a--b',
    '80-90',
    'abcdefghijklmnop',
    true,
  ])('refuses port %j', (input) => {
    expect(parsePort(input).ok).toBe(false)
  })

  it('parses protocols case-sensitively and stores numbers', () => {
    expect(parseProtocol('TCP')).toEqual({ ok: true, value: 'TCP' })
    expect(parseProtocol('17')).toEqual({ ok: true, value: 17 })
    expect(parseProtocol(255)).toEqual({ ok: true, value: 255 })
    for (const bad of ['tcp', 'Udp', 0, 256, '0', 'ICMPV6'])
      expect(parseProtocol(bad).ok).toBe(false)
  })

  it('checks Kubernetes port names', () => {
    expect(isValidPortName('dns-tcp')).toBe(true)
    expect(isValidPortName('a'.repeat(16))).toBe(false)
  })
})

describe('addresses', () => {
  it.each([
    ['10.0.0.1', 4, 32],
    ['10.0.0.0/8', 4, 8],
    ['0.0.0.0/0', 4, 0],
    ['::', 6, 128],
    ['::/0', 6, 0],
    ['fd00::1/64', 6, 64],
    ['2001:db8:0:0:0:0:0:1', 6, 128],
    ['::ffff:10.0.0.1', 6, 128],
    ['1:2:3:4:5:6:7::', 6, 128],
  ] as const)('parses %s', (text, family, prefix) => {
    expect(parseCidr(text)).toMatchObject({ family, prefix })
  })

  it.each([
    '10.0.0',
    '10.0.0.256',
    '010.0.0.1',
    '10.0.0.0/33',
    '::/129',
    '1:2:3:4:5:6:7:8:9',
    '1::2::3',
    'fd00::g',
    '10.0.0.0/',
    '',
  ])('refuses %j', (text) => {
    expect(parseCidr(text)).toBeUndefined()
  })

  it('tests containment', () => {
    const outer = parseCidr('10.0.0.0/8')
    const inner = parseCidr('10.1.2.0/24')
    const other = parseCidr('11.0.0.0/24')
    if (!outer || !inner || !other) throw new Error('parse failed')
    expect(cidrContains(outer, inner)).toBe(true)
    expect(cidrContains(inner, outer)).toBe(false)
    expect(cidrContains(outer, other)).toBe(false)
    expect(parseIP('::1')?.bytes).toEqual([...new Array(15).fill(0), 1])
  })
})
