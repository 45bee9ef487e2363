/**
 * Kubernetes `networking.k8s.io/v1` NetworkPolicy specs (and the spec of Calico's
 * StagedKubernetesNetworkPolicy), checked as the API server checks them. Enforced KNPs get
 * the API server's defaulting: `policyTypes` and port protocol `TCP`.
 */
import { ErrorCodes } from '../errors.ts'
import {
  type Checker,
  compact,
  isPlainObject,
  readEnum,
  readInteger,
  readList,
  readObject,
  readString,
  readStringList,
  readStringMap,
  sub,
  typeName,
} from './check.ts'
import { cidrContains, parseCidr } from './cidr.ts'
import { validateLabels } from './metadata.ts'
import { isValidPortName } from './ports.ts'
import type {
  K8sIPBlock,
  K8sNetworkPolicyPeer,
  K8sNetworkPolicyPort,
  LabelSelector,
  StagedKubernetesNetworkPolicySpec,
} from './types.ts'
import { readPolicyTypes, STAGED_ACTIONS } from './validate-policy.ts'

type Operator = NonNullable<LabelSelector['matchExpressions']>[number]['operator']
const OPERATORS: readonly Operator[] = ['In', 'NotIn', 'Exists', 'DoesNotExist']

/** Reads a `metav1.LabelSelector`. */
export function readLabelSelector(
  c: Checker,
  value: unknown,
  path: string,
): LabelSelector | undefined {
  if (value === undefined || value === null) return undefined
  const o = readObject(c, value, path, ['matchLabels', 'matchExpressions'])
  if (!o) return undefined
  const matchLabels = readStringMap(c, o.matchLabels, sub(path, 'matchLabels'))
  if (matchLabels) validateLabels(c, matchLabels, sub(path, 'matchLabels'))
  const matchExpressions = readList(
    c,
    o.matchExpressions,
    sub(path, 'matchExpressions'),
    Number.POSITIVE_INFINITY,
    (v, p) => {
      const e = readObject(c, v, p, ['key', 'operator', 'values'])
      if (!e) return undefined
      const key = readString(c, e.key, sub(p, 'key'))
      if (!key) c.report(ErrorCodes.REQUIRED_FIELD, sub(p, 'key'), 'expected a label key')
      else validateLabels(c, { [key]: '' }, sub(p, 'key'))
      if (e.operator === undefined || e.operator === null)
        c.report(
          ErrorCodes.REQUIRED_FIELD,
          sub(p, 'operator'),
          'expected an operator: In, NotIn, Exists or DoesNotExist',
        )
      const operator = readEnum(c, e.operator, sub(p, 'operator'), OPERATORS)
      const values = readStringList(c, e.values, sub(p, 'values'), Number.POSITIVE_INFINITY)
      if ((operator === 'In' || operator === 'NotIn') && !values?.length) {
        c.report(
          ErrorCodes.REQUIRED_FIELD,
          sub(p, 'values'),
          `expected values with operator ${operator}`,
        )
      }
      if ((operator === 'Exists' || operator === 'DoesNotExist') && values?.length) {
        c.report(
          ErrorCodes.INVALID_VALUE,
          sub(p, 'values'),
          `expected no values with operator ${operator}`,
        )
      }
      return compact({ key: key ?? '', operator: operator ?? ('' as Operator), values })
    },
  )
  return compact({ matchLabels, matchExpressions })
}

function readIPBlock(c: Checker, value: unknown, path: string): K8sIPBlock | undefined {
  if (value === undefined || value === null) return undefined
  const o = readObject(c, value, path, ['cidr', 'except'])
  if (!o) return undefined
  const cidrText = readString(c, o.cidr, sub(path, 'cidr'))
  const cidr = cidrText ? parseCidr(cidrText) : undefined
  if (!cidrText) c.report(ErrorCodes.REQUIRED_FIELD, sub(path, 'cidr'), 'expected a CIDR')
  else if (!cidr?.hasPrefix)
    c.report(
      ErrorCodes.INVALID_VALUE,
      sub(path, 'cidr'),
      `expected a CIDR (address/prefix), got '${cidrText}'`,
    )
  const except = readStringList(c, o.except, sub(path, 'except'), Number.POSITIVE_INFINITY)
  for (const [i, e] of (except ?? []).entries()) {
    const ex = parseCidr(e)
    const p = `${sub(path, 'except')}[${i}]`
    if (!ex?.hasPrefix)
      c.report(ErrorCodes.INVALID_VALUE, p, `expected a CIDR (address/prefix), got '${e}'`)
    else if (cidr?.hasPrefix && (!cidrContains(cidr, ex) || ex.prefix === cidr.prefix)) {
      c.report(
        ErrorCodes.INVALID_VALUE,
        p,
        `expected a CIDR strictly inside ${cidrText}, got '${e}'`,
      )
    }
  }
  return compact({ cidr: cidrText ?? '', except })
}

function readPeer(c: Checker, value: unknown, path: string): K8sNetworkPolicyPeer | undefined {
  const o = readObject(c, value, path, ['podSelector', 'namespaceSelector', 'ipBlock'])
  if (!o) return undefined
  const peer: K8sNetworkPolicyPeer = compact({
    podSelector: readLabelSelector(c, o.podSelector, sub(path, 'podSelector')),
    namespaceSelector: readLabelSelector(c, o.namespaceSelector, sub(path, 'namespaceSelector')),
    ipBlock: readIPBlock(c, o.ipBlock, sub(path, 'ipBlock')),
  })
  if (peer.ipBlock && (peer.podSelector || peer.namespaceSelector)) {
    c.report(
      ErrorCodes.INVALID_VALUE,
      sub(path, 'ipBlock'),
      'expected ipBlock alone: it cannot be combined with podSelector or namespaceSelector',
    )
  }
  if (!peer.ipBlock && !peer.podSelector && !peer.namespaceSelector) {
    c.report(
      ErrorCodes.REQUIRED_FIELD,
      path,
      'expected a peer with podSelector, namespaceSelector or ipBlock',
    )
  }
  return peer
}

function readK8sPort(
  c: Checker,
  value: unknown,
  path: string,
  defaultTCP: boolean,
): K8sNetworkPolicyPort | undefined {
  const o = readObject(c, value, path, ['protocol', 'port', 'endPort'])
  if (!o) return undefined
  const protocol =
    readEnum(c, o.protocol, sub(path, 'protocol'), ['TCP', 'UDP', 'SCTP']) ??
    (defaultTCP ? 'TCP' : undefined)
  let port: number | string | undefined
  if (typeof o.port === 'number') {
    port = readInteger(c, o.port, sub(path, 'port'), 1, 65535)
  } else if (typeof o.port === 'string') {
    if (isValidPortName(o.port)) port = o.port
    else
      c.report(
        ErrorCodes.INVALID_VALUE,
        sub(path, 'port'),
        `expected a port number from 1 to 65535 or a port name (at most 15 lowercase letters, digits and '-', with a letter), got '${o.port}'`,
      )
  } else if (o.port !== undefined && o.port !== null) {
    c.report(
      ErrorCodes.INVALID_TYPE,
      sub(path, 'port'),
      `expected a port number or name, got ${typeName(o.port)}`,
    )
  }
  const endPort = readInteger(c, o.endPort, sub(path, 'endPort'), 1, 65535)
  if (endPort !== undefined) {
    if (typeof port !== 'number') {
      c.report(
        ErrorCodes.INVALID_VALUE,
        sub(path, 'endPort'),
        'expected endPort only with a numeric port',
      )
    } else if (endPort < port) {
      c.report(
        ErrorCodes.INVALID_VALUE,
        sub(path, 'endPort'),
        `expected endPort >= port ${port}, got ${endPort}`,
      )
    }
  }
  return compact({ protocol, port, endPort })
}

/**
 * Reads a KNP spec (`staged: false`, with API-server defaulting) or an SKNP spec
 * (`staged: true`, with `stagedAction` defaulting to `Set`).
 */
export function readK8sPolicySpec(
  c: Checker,
  value: unknown,
  staged: boolean,
): StagedKubernetesNetworkPolicySpec {
  if (value !== undefined && value !== null && !isPlainObject(value)) {
    c.report(ErrorCodes.INVALID_TYPE, 'spec', `expected an object, got ${typeName(value)}`)
    return { podSelector: {} }
  }
  const allowed = [
    ...(staged ? ['stagedAction'] : []),
    'podSelector',
    'ingress',
    'egress',
    'policyTypes',
  ]
  const o = readObject(c, value ?? {}, 'spec', allowed) ?? {}
  const stagedAction = staged
    ? (readEnum(c, o.stagedAction, 'spec.stagedAction', STAGED_ACTIONS) ?? 'Set')
    : undefined
  if (stagedAction === 'Delete') {
    for (const [k, v] of Object.entries(o)) {
      const empty =
        v === undefined ||
        v === null ||
        (Array.isArray(v) && v.length === 0) ||
        (isPlainObject(v) && Object.keys(v).length === 0)
      if (k !== 'stagedAction' && !empty) {
        c.report(
          ErrorCodes.INVALID_VALUE,
          sub('spec', k),
          'expected no other spec field with stagedAction Delete',
        )
      }
    }
    return { stagedAction, podSelector: {} }
  }
  const podSelector = readLabelSelector(c, o.podSelector, 'spec.podSelector') ?? {}
  const ingress = readList(c, o.ingress, 'spec.ingress', Number.POSITIVE_INFINITY, (v, p) => {
    const r = readObject(c, v, p, ['ports', 'from'])
    if (!r) return undefined
    return compact({
      ports: readList(c, r.ports, sub(p, 'ports'), Number.POSITIVE_INFINITY, (pv, pp) =>
        readK8sPort(c, pv, pp, !staged),
      ),
      from: readList(c, r.from, sub(p, 'from'), Number.POSITIVE_INFINITY, (pv, pp) =>
        readPeer(c, pv, pp),
      ),
    })
  })
  const egress = readList(c, o.egress, 'spec.egress', Number.POSITIVE_INFINITY, (v, p) => {
    const r = readObject(c, v, p, ['ports', 'to'])
    if (!r) return undefined
    return compact({
      ports: readList(c, r.ports, sub(p, 'ports'), Number.POSITIVE_INFINITY, (pv, pp) =>
        readK8sPort(c, pv, pp, !staged),
      ),
      to: readList(c, r.to, sub(p, 'to'), Number.POSITIVE_INFINITY, (pv, pp) =>
        readPeer(c, pv, pp),
      ),
    })
  })
  let policyTypes = readPolicyTypes(c, o.policyTypes, 'spec.policyTypes', 'allowed')
  if (!staged && !policyTypes?.length) {
    // The API server's defaulting: Ingress always, Egress when egress rules exist.
    policyTypes = egress?.length ? ['Ingress', 'Egress'] : ['Ingress']
  }
  return compact({ stagedAction, podSelector, ingress, egress, policyTypes })
}
