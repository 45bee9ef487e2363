import { describe, expect, it } from 'vitest'
import type { Port, Resource, Rule } from '../resources/types.ts'
import { netsCover, portsCover, ruleCovers } from './covers.ts'
import { type LintPolicy, toLintPolicy } from './model.ts'

describe('portsCover', () => {
  it.each<[Port[] | undefined, Port[] | undefined, boolean]>([
    [undefined, [80], true],
    [[80], undefined, false],
    [['80:90'], [85, '81:89'], true],
    // Adjacent ranges merge: 80:84 and 85:90 cover 82:88.
    [['80:84', '85:90'], ['82:88'], true],
    [['80:84', '86:90'], ['82:88'], false],
    [['http'], ['http'], true],
    [['http'], [80], false],
    [[80], ['http'], false],
  ])('%j covers %j: %s', (earlier, later, expected) => {
    expect(portsCover(earlier, later)).toBe(expected)
  })
})

describe('netsCover', () => {
  it.each<[string[] | undefined, string[] | undefined, boolean]>([
    [undefined, ['10.0.0.0/8'], true],
    [['10.0.0.0/8'], ['10.1.0.0/16', '10.2.3.4'], true],
    [['10.0.0.0/8'], ['11.0.0.0/16'], false],
    [['10.0.0.0/16'], ['10.0.0.0/8'], false],
    [['10.0.0.0/8'], undefined, false],
    [['::/0'], ['10.0.0.0/8'], false],
    [['fd00::/8'], ['fd00:1::/32'], true],
  ])('%j covers %j: %s', (earlier, later, expected) => {
    expect(netsCover(earlier, later)).toBe(expected)
  })
})

describe('ruleCovers', () => {
  const gnp = toLintPolicy({
    apiVersion: 'projectcalico.org/v3',
    kind: 'GlobalNetworkPolicy',
    metadata: { name: 'g' },
    spec: {},
  } as Resource) as LintPolicy
  const np = toLintPolicy({
    apiVersion: 'projectcalico.org/v3',
    kind: 'NetworkPolicy',
    metadata: { name: 'n', namespace: 'shop' },
    spec: {},
  } as Resource) as LintPolicy
  const allow = (r: Omit<Rule, 'action'>): Rule => ({ action: 'Allow', ...r })
  it.each<[string, LintPolicy, Rule, Rule, boolean]>([
    [
      'an empty rule covers anything',
      gnp,
      allow({}),
      allow({ protocol: 'TCP', source: { selector: 'a == "b"' } }),
      true,
    ],
    [
      'protocol name and number are the same',
      gnp,
      allow({ protocol: 'UDP' }),
      allow({ protocol: 17 }),
      true,
    ],
    ['a protocol does not cover no protocol', gnp, allow({ protocol: 'TCP' }), allow({}), false],
    ['ipVersion must be equal', gnp, allow({ ipVersion: 4 }), allow({}), false],
    [
      'icmp equal',
      gnp,
      allow({ protocol: 'ICMP', icmp: { type: 8 } }),
      allow({ protocol: 'ICMP', icmp: { type: 8 } }),
      true,
    ],
    [
      'icmp differs',
      gnp,
      allow({ protocol: 'ICMP', icmp: { type: 8 } }),
      allow({ protocol: 'ICMP', icmp: { type: 0 } }),
      false,
    ],
    [
      'notNets equal',
      gnp,
      allow({ source: { notNets: ['10.0.0.0/8'] } }),
      allow({ source: { notNets: ['10.0.0.0/8'], nets: ['192.0.2.0/24'] } }),
      true,
    ],
    [
      'notNets absent on the later rule',
      gnp,
      allow({ source: { notNets: ['10.0.0.0/8'] } }),
      allow({ source: { nets: ['192.0.2.0/24'] } }),
      false,
    ],
    [
      'notProtocol absent on the later rule',
      gnp,
      allow({ notProtocol: 'TCP' }),
      allow({ protocol: 'UDP' }),
      false,
    ],
    [
      'a selector does not cover a selector that is only equivalent by logic',
      gnp,
      allow({ source: { selector: 'has(a)' } }),
      allow({ source: { selector: 'a == "x"' } }),
      false,
    ],
    [
      'set order does not matter',
      np,
      allow({ source: { selector: 'a in {"y", "x"}' } }),
      allow({ source: { selector: "a in {'x','y'}" } }),
      true,
    ],
    [
      'a namespaceSelector widens the scope of the later rule',
      np,
      allow({ source: { selector: 'a == "x"' } }),
      allow({ source: { selector: 'a == "x"', namespaceSelector: 'all()' } }),
      false,
    ],
    [
      'service accounts take part in the scoped selector',
      np,
      allow({ source: { serviceAccounts: { names: ['a', 'b'] } } }),
      allow({ source: { serviceAccounts: { names: ['b', 'a'] } } }),
      true,
    ],
    [
      'services must be equal',
      gnp,
      allow({ destination: { services: { name: 'x', namespace: 'y' } } }),
      allow({ destination: { services: { name: 'z', namespace: 'y' } } }),
      false,
    ],
  ])('%s', (_name, policy, earlier, later, expected) => {
    expect(ruleCovers(policy, earlier, policy, later)).toBe(expected)
  })
})
