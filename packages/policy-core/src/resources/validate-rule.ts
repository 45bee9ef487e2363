/**
 * Calico `Rule` and `EntityRule` validation (`policy_common.go` CEL rules and the Go
 * validator's `validateRule`/`validateEntityRule`), returning the normalised rule.
 */
import { ErrorCodes } from '../errors.ts'
import {
  type Checker,
  compact,
  readEnum,
  readInteger,
  readList,
  readObject,
  readString,
  readStringList,
  readStringMap,
  sub,
} from './check.ts'
import { parseCidr } from './cidr.ts'
import { validateAnnotations } from './metadata.ts'
import {
  isNumericPort,
  parsePort,
  parseProtocol,
  protocolNumber,
  protocolSupportsPorts,
} from './ports.ts'
import { readSelector } from './selectors.ts'
import type {
  Action,
  EntityRule,
  HTTPMatch,
  ICMPFields,
  Port,
  Protocol,
  Rule,
  ServiceAccountMatch,
  ServiceMatch,
} from './types.ts'

/** Rule actions, as Calico spells them. */
export const ACTIONS: readonly Action[] = ['Allow', 'Deny', 'Log', 'Pass']

const RULE_FIELDS = [
  'action',
  'ipVersion',
  'protocol',
  'icmp',
  'notProtocol',
  'notICMP',
  'source',
  'destination',
  'http',
  'metadata',
] as const

const ENTITY_FIELDS = [
  'nets',
  'selector',
  'namespaceSelector',
  'services',
  'ports',
  'notNets',
  'notSelector',
  'notPorts',
  'serviceAccounts',
] as const

/** Most CIDRs in one `nets`/`notNets` list. */
export const MAX_NETS = 256
/** Most entries in one `ports`/`notPorts` list. */
export const MAX_PORTS = 50

/** Which rule list a rule sits in; decides where `services` and `http` may appear. */
export type RuleDirection = 'ingress' | 'egress'

/** What the enclosing policy tells rule validation. */
export interface RuleContext {
  direction: RuleDirection
  /** Global policies must give a namespace with `services`. */
  global: boolean
}

function readProtocolField(c: Checker, value: unknown, path: string): Protocol | undefined {
  if (value === undefined || value === null) return undefined
  const p = parseProtocol(value)
  if (!p.ok) {
    c.report(ErrorCodes.INVALID_VALUE, path, p.message)
    return undefined
  }
  return p.value
}

function readICMP(c: Checker, value: unknown, path: string): ICMPFields | undefined {
  if (value === undefined || value === null) return undefined
  const o = readObject(c, value, path, ['type', 'code'])
  if (!o) return undefined
  const type = readInteger(c, o.type, sub(path, 'type'), 0, 254)
  const code = readInteger(c, o.code, sub(path, 'code'), 0, 255)
  if (code !== undefined && (o.type === undefined || o.type === null)) {
    c.report(
      ErrorCodes.REQUIRED_FIELD,
      sub(path, 'type'),
      'expected an icmp type: code requires type',
    )
  }
  return compact({ type, code })
}

function readPorts(c: Checker, value: unknown, path: string): Port[] | undefined {
  return readList(c, value, path, MAX_PORTS, (v, p) => {
    const r = parsePort(v)
    if (!r.ok) {
      c.report(ErrorCodes.INVALID_VALUE, p, r.message)
      return undefined
    }
    return r.value
  })
}

/** Address families seen in the nets fields of one rule. */
interface FamilyScan {
  v4: boolean
  v6: boolean
}

function readNets(
  c: Checker,
  value: unknown,
  path: string,
  negated: boolean,
  scan: FamilyScan,
  ipVersion: 4 | 6 | undefined,
): string[] | undefined {
  const nets = readStringList(c, value, path, MAX_NETS)
  if (!nets) return undefined
  let v4 = false
  let v6 = false
  for (const [i, n] of nets.entries()) {
    const cidr = parseCidr(n)
    if (!cidr) {
      c.report(
        ErrorCodes.INVALID_VALUE,
        `${path}[${i}]`,
        `expected a CIDR or IP address, got '${n}'`,
      )
      continue
    }
    if (cidr.family === 4) v4 = true
    else v6 = true
    if (negated && cidr.prefix === 0) {
      c.report(
        ErrorCodes.INVALID_VALUE,
        `${path}[${i}]`,
        `expected a narrower CIDR than '${n}': negating a catch-all matches no traffic`,
      )
    }
  }
  if (ipVersion !== undefined && ((v4 && ipVersion !== 4) || (v6 && ipVersion !== 6))) {
    c.report(
      ErrorCodes.INVALID_VALUE,
      path,
      `expected IPv${ipVersion} CIDRs to match the rule's ipVersion`,
    )
  }
  if ((v4 && v6) || (v4 && scan.v6) || (v6 && scan.v4)) {
    c.report(
      ErrorCodes.INVALID_VALUE,
      path,
      'expected CIDRs of one family: the rule mixes IPv4 and IPv6',
    )
  }
  scan.v4 ||= v4
  scan.v6 ||= v6
  return nets
}

function readServiceAccounts(
  c: Checker,
  value: unknown,
  path: string,
): ServiceAccountMatch | undefined {
  if (value === undefined || value === null) return undefined
  const o = readObject(c, value, path, ['names', 'selector'])
  if (!o) return undefined
  return compact({
    names: readStringList(c, o.names, sub(path, 'names'), Number.POSITIVE_INFINITY),
    selector: readSelector(c, o.selector, sub(path, 'selector'), 'forbidden'),
  })
}

function readServices(c: Checker, value: unknown, path: string): ServiceMatch | undefined {
  if (value === undefined || value === null) return undefined
  const o = readObject(c, value, path, ['name', 'namespace'])
  if (!o) return undefined
  const name = readString(c, o.name, sub(path, 'name'))
  if (!name) {
    c.report(ErrorCodes.REQUIRED_FIELD, sub(path, 'name'), 'expected a service name')
  }
  const namespace = readString(c, o.namespace, sub(path, 'namespace'))
  return compact({ name: name ?? '', namespace })
}

function readEntityRule(
  c: Checker,
  value: unknown,
  path: string,
  scan: FamilyScan,
  ipVersion: 4 | 6 | undefined,
): EntityRule | undefined {
  if (value === undefined || value === null) return undefined
  const o = readObject(c, value, path, ENTITY_FIELDS)
  if (!o) return undefined
  const e: EntityRule = compact({
    nets: readNets(c, o.nets, sub(path, 'nets'), false, scan, ipVersion),
    selector: readSelector(c, o.selector, sub(path, 'selector'), 'forbidden'),
    namespaceSelector: readSelector(
      c,
      o.namespaceSelector,
      sub(path, 'namespaceSelector'),
      'entire',
    ),
    services: readServices(c, o.services, sub(path, 'services')),
    ports: readPorts(c, o.ports, sub(path, 'ports')),
    notNets: readNets(c, o.notNets, sub(path, 'notNets'), true, scan, ipVersion),
    notSelector: readSelector(c, o.notSelector, sub(path, 'notSelector'), 'forbidden'),
    notPorts: readPorts(c, o.notPorts, sub(path, 'notPorts')),
    serviceAccounts: readServiceAccounts(c, o.serviceAccounts, sub(path, 'serviceAccounts')),
  })
  if (e.services) {
    const clash: string[] = []
    if (e.selector || e.notSelector) clash.push('selector/notSelector')
    if (e.namespaceSelector) clash.push('namespaceSelector')
    if (e.nets?.length || e.notNets?.length) clash.push('nets/notNets')
    if (e.serviceAccounts) clash.push('serviceAccounts')
    if (clash.length) {
      c.report(
        ErrorCodes.INVALID_VALUE,
        sub(path, 'services'),
        `expected services alone: it cannot be combined with ${clash.join(', ')}`,
      )
    }
  }
  return e
}

function readHTTP(c: Checker, value: unknown, path: string): HTTPMatch | undefined {
  if (value === undefined || value === null) return undefined
  const o = readObject(c, value, path, ['methods', 'paths'])
  if (!o) return undefined
  const paths = readList(c, o.paths, sub(path, 'paths'), 20, (v, p) => {
    const po = readObject(c, v, p, ['exact', 'prefix'])
    if (!po) return undefined
    const exact = readString(c, po.exact, sub(p, 'exact'))
    const prefix = readString(c, po.prefix, sub(p, 'prefix'))
    if ((exact === undefined) === (prefix === undefined)) {
      c.report(ErrorCodes.INVALID_VALUE, p, 'expected exactly one of exact or prefix')
    }
    return compact({ exact, prefix })
  })
  return compact({ methods: readStringList(c, o.methods, sub(path, 'methods'), 20), paths })
}

function isIcmpProtocol(p: Protocol | undefined): boolean {
  return p !== undefined && (protocolNumber(p) === 1 || protocolNumber(p) === 58)
}

/** Checks that ports are only given with a protocol that has ports. */
function checkPortsNeedProtocol(c: Checker, rule: Rule, path: string): void {
  const ok = rule.protocol !== undefined && protocolSupportsPorts(rule.protocol)
  if (ok) return
  for (const side of ['source', 'destination'] as const) {
    for (const field of ['ports', 'notPorts'] as const) {
      const ports = rule[side]?.[field]
      if (ports?.some(isNumericPort)) {
        c.report(
          ErrorCodes.INVALID_VALUE,
          sub(sub(path, side), field),
          'expected protocol TCP, UDP or SCTP on a rule with numeric ports',
        )
      }
    }
  }
}

/** Validates one rule at `path`; returns the normalised rule (undefined when not an object). */
export function readRule(
  c: Checker,
  value: unknown,
  path: string,
  ctx: RuleContext,
): Rule | undefined {
  const o = readObject(c, value, path, RULE_FIELDS)
  if (!o) return undefined
  if (o.action === undefined || o.action === null) {
    c.report(
      ErrorCodes.REQUIRED_FIELD,
      sub(path, 'action'),
      'expected an action: Allow, Deny, Log or Pass',
    )
  }
  const action = readEnum(c, o.action, sub(path, 'action'), ACTIONS)
  let ipVersion: 4 | 6 | undefined
  if (o.ipVersion !== undefined && o.ipVersion !== null) {
    if (o.ipVersion === 4 || o.ipVersion === 6) ipVersion = o.ipVersion
    else c.report(ErrorCodes.INVALID_VALUE, sub(path, 'ipVersion'), 'expected ipVersion 4 or 6')
  }
  const protocol = readProtocolField(c, o.protocol, sub(path, 'protocol'))
  const notProtocol = readProtocolField(c, o.notProtocol, sub(path, 'notProtocol'))
  const icmp = readICMP(c, o.icmp, sub(path, 'icmp'))
  const notICMP = readICMP(c, o.notICMP, sub(path, 'notICMP'))
  const scan: FamilyScan = { v4: false, v6: false }
  const source = readEntityRule(c, o.source, sub(path, 'source'), scan, ipVersion)
  const destination = readEntityRule(c, o.destination, sub(path, 'destination'), scan, ipVersion)
  const http = readHTTP(c, o.http, sub(path, 'http'))
  let metadata: Rule['metadata']
  if (o.metadata !== undefined && o.metadata !== null) {
    const m = readObject(c, o.metadata, sub(path, 'metadata'), ['annotations'])
    if (m) {
      const annotations = readStringMap(c, m.annotations, `${path}.metadata.annotations`)
      if (annotations) validateAnnotations(c, annotations, `${path}.metadata.annotations`)
      metadata = compact({ annotations })
    }
  }
  const rule: Rule = compact({
    action: action ?? ('' as Action),
    ipVersion,
    protocol,
    icmp,
    notProtocol,
    notICMP,
    source,
    destination,
    http,
    metadata,
  })

  // An unreadable protocol was reported already; don't pile port errors on top of it.
  if (protocol !== undefined || o.protocol === undefined || o.protocol === null) {
    checkPortsNeedProtocol(c, rule, path)
  }
  for (const [field, value] of [
    ['icmp', icmp],
    ['notICMP', notICMP],
  ] as const) {
    if (value && !isIcmpProtocol(protocol)) {
      c.report(
        ErrorCodes.INVALID_VALUE,
        sub(path, field),
        'expected protocol ICMP or ICMPv6 with icmp fields',
      )
    }
  }
  for (const [field, p] of [
    ['protocol', protocol],
    ['notProtocol', notProtocol],
  ] as const) {
    if (p === undefined || ipVersion === undefined) continue
    if (protocolNumber(p) === 1 && ipVersion !== 4) {
      c.report(
        ErrorCodes.INVALID_VALUE,
        sub(path, 'ipVersion'),
        `expected ipVersion 4 with ${field} ICMP`,
      )
    }
    if (protocolNumber(p) === 58 && ipVersion !== 6) {
      c.report(
        ErrorCodes.INVALID_VALUE,
        sub(path, 'ipVersion'),
        `expected ipVersion 6 with ${field} ICMPv6`,
      )
    }
  }
  if (http) {
    if (action !== undefined && action !== 'Allow') {
      c.report(ErrorCodes.INVALID_VALUE, sub(path, 'http'), 'expected http only on Allow rules')
    }
    if (protocol !== undefined && protocolNumber(protocol) !== 6) {
      c.report(
        ErrorCodes.INVALID_VALUE,
        sub(path, 'protocol'),
        'expected protocol TCP (or none) on a rule with http',
      )
    }
    if (ctx.direction === 'egress') {
      c.report(
        ErrorCodes.INVALID_VALUE,
        sub(path, 'http'),
        'expected no http match on egress rules',
      )
    }
  }
  checkServicesPlacement(c, rule, path, ctx)
  return rule
}

function checkServicesPlacement(c: Checker, rule: Rule, path: string, ctx: RuleContext): void {
  if (ctx.direction === 'egress' && rule.source?.services) {
    c.report(
      ErrorCodes.INVALID_VALUE,
      `${path}.source.services`,
      'expected services only in the destination of egress rules',
    )
  }
  if (ctx.direction === 'ingress' && rule.destination?.services) {
    c.report(
      ErrorCodes.INVALID_VALUE,
      `${path}.destination.services`,
      'expected services only in the source of ingress rules',
    )
  }
  const dst = rule.destination
  if (dst?.services && (dst.ports?.length || dst.notPorts?.length)) {
    c.report(
      ErrorCodes.INVALID_VALUE,
      `${path}.destination.${dst.ports?.length ? 'ports' : 'notPorts'}`,
      'expected no ports or notPorts beside destination services (the endpoints give the ports)',
    )
  }
  if (ctx.global) {
    const peer = ctx.direction === 'egress' ? rule.destination : rule.source
    const side = ctx.direction === 'egress' ? 'destination' : 'source'
    if (peer?.services && !peer.services.namespace) {
      c.report(
        ErrorCodes.REQUIRED_FIELD,
        `${path}.${side}.services.namespace`,
        'expected a service namespace in a global policy',
      )
    }
  }
}
