/** Specs of the resources that are not policies: Tier, NetworkSet, GlobalNetworkSet, HostEndpoint. */
import { ErrorCodes } from '../errors.ts'
import {
  type Checker,
  compact,
  isPlainObject,
  readEnum,
  readInteger,
  readList,
  readNumber,
  readObject,
  readString,
  readStringList,
  sub,
  typeName,
} from './check.ts'
import { parseCidr, parseIP } from './cidr.ts'
import { BUILTIN_TIERS, DNS_SUBDOMAIN_RE } from './names.ts'
import { isValidPortName, parseProtocol, protocolSupportsPorts } from './ports.ts'
import type { EndpointPort, HostEndpointSpec, NetworkSetSpec, TierSpec } from './types.ts'

/** Most CIDRs Policyboard accepts in one network set (Calico sets no schema limit). */
export const MAX_NETWORK_SET_NETS = 100_000

function specObject(
  c: Checker,
  value: unknown,
  allowed: readonly string[],
): Record<string, unknown> {
  if (value !== undefined && value !== null && !isPlainObject(value)) {
    c.report(ErrorCodes.INVALID_TYPE, 'spec', `expected an object, got ${typeName(value)}`)
    return {}
  }
  return readObject(c, value ?? {}, 'spec', allowed) ?? {}
}

/** Reads a Tier spec (`defaultAction` defaults to Deny) and checks the built-in tiers' pinned values. */
export function readTierSpec(c: Checker, value: unknown, name: string): TierSpec {
  const o = specObject(c, value, ['order', 'defaultAction'])
  const spec: TierSpec = compact({
    order: readNumber(c, o.order, 'spec.order'),
    defaultAction:
      readEnum(c, o.defaultAction, 'spec.defaultAction', ['Deny', 'Pass'] as const) ?? 'Deny',
  })
  const builtin = BUILTIN_TIERS.find((t) => t.metadata.name === name)
  if (builtin) {
    if (spec.order !== builtin.spec.order) {
      c.report(
        ErrorCodes.INVALID_VALUE,
        'spec.order',
        `expected order ${builtin.spec.order} for the built-in tier '${name}'`,
      )
    }
    if (spec.defaultAction !== builtin.spec.defaultAction) {
      c.report(
        ErrorCodes.INVALID_VALUE,
        'spec.defaultAction',
        `expected defaultAction ${builtin.spec.defaultAction} for the built-in tier '${name}'`,
      )
    }
  }
  return spec
}

/** Reads a NetworkSet / GlobalNetworkSet spec: `nets` must be CIDRs or addresses. */
export function readNetworkSetSpec(c: Checker, value: unknown): NetworkSetSpec {
  const o = specObject(c, value, ['nets'])
  const nets = readStringList(c, o.nets, 'spec.nets', MAX_NETWORK_SET_NETS)
  for (const [i, n] of (nets ?? []).entries()) {
    if (!parseCidr(n))
      c.report(
        ErrorCodes.INVALID_VALUE,
        `spec.nets[${i}]`,
        `expected a CIDR or IP address, got '${n}'`,
      )
  }
  return compact({ nets })
}

function readEndpointPort(c: Checker, value: unknown, path: string): EndpointPort | undefined {
  const o = readObject(c, value, path, ['name', 'protocol', 'port'])
  if (!o) return undefined
  const name = readString(c, o.name, sub(path, 'name'))
  if (!name) c.report(ErrorCodes.REQUIRED_FIELD, sub(path, 'name'), 'expected a port name')
  else if (!isValidPortName(name))
    c.report(
      ErrorCodes.INVALID_VALUE,
      sub(path, 'name'),
      `expected a port name of at most 15 lowercase letters, digits and '-', with a letter, got '${name}'`,
    )
  let protocol: EndpointPort['protocol'] | undefined
  if (o.protocol === undefined || o.protocol === null)
    c.report(
      ErrorCodes.REQUIRED_FIELD,
      sub(path, 'protocol'),
      'expected a protocol: TCP, UDP or SCTP',
    )
  else {
    const p = parseProtocol(o.protocol)
    if (!p.ok) c.report(ErrorCodes.INVALID_VALUE, sub(path, 'protocol'), p.message)
    else if (!protocolSupportsPorts(p.value))
      c.report(
        ErrorCodes.INVALID_VALUE,
        sub(path, 'protocol'),
        'expected a protocol with ports: TCP, UDP or SCTP',
      )
    else protocol = p.value
  }
  if (o.port === undefined || o.port === null)
    c.report(ErrorCodes.REQUIRED_FIELD, sub(path, 'port'), 'expected a port number')
  const port = readInteger(c, o.port, sub(path, 'port'), 1, 65535)
  return { name: name ?? '', protocol: protocol ?? 'TCP', port: port ?? 0 }
}

/** Reads a HostEndpoint spec: `node` required, `interfaceName` and/or `expectedIPs`. */
export function readHostEndpointSpec(c: Checker, value: unknown): HostEndpointSpec {
  const o = specObject(c, value, ['node', 'interfaceName', 'expectedIPs', 'profiles', 'ports'])
  const node = readString(c, o.node, 'spec.node')
  if (!node)
    c.report(ErrorCodes.REQUIRED_FIELD, 'spec.node', 'expected the node the host endpoint is on')
  const interfaceName = readString(c, o.interfaceName, 'spec.interfaceName')
  if (interfaceName && interfaceName !== '*' && !/^[a-zA-Z0-9_.-]{1,15}$/.test(interfaceName)) {
    c.report(
      ErrorCodes.INVALID_VALUE,
      'spec.interfaceName',
      `expected an interface name of at most 15 letters, digits, '_', '.' or '-' (or '*'), got '${interfaceName}'`,
    )
  }
  const expectedIPs = readStringList(c, o.expectedIPs, 'spec.expectedIPs', Number.POSITIVE_INFINITY)
  for (const [i, ip] of (expectedIPs ?? []).entries()) {
    if (!parseIP(ip))
      c.report(
        ErrorCodes.INVALID_VALUE,
        `spec.expectedIPs[${i}]`,
        `expected an IP address, got '${ip}'`,
      )
  }
  if (!interfaceName && !expectedIPs?.length) {
    c.report(ErrorCodes.REQUIRED_FIELD, 'spec', 'expected interfaceName or expectedIPs (or both)')
  }
  const profiles = readStringList(c, o.profiles, 'spec.profiles', Number.POSITIVE_INFINITY)
  for (const [i, p] of (profiles ?? []).entries()) {
    if (!DNS_SUBDOMAIN_RE.test(p)) {
      c.report(
        ErrorCodes.INVALID_NAME,
        `spec.profiles[${i}]`,
        `expected a profile name (lowercase DNS subdomain), got '${p}'`,
      )
    }
  }
  const ports = readList(c, o.ports, 'spec.ports', Number.POSITIVE_INFINITY, (v, p) =>
    readEndpointPort(c, v, p),
  )
  return compact({ node: node ?? '', interfaceName, expectedIPs, profiles, ports })
}
