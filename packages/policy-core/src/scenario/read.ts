/**
 * Reading a scenario (the format of spec/scenario.md): inventory, policy resources and flows,
 * as YAML or JSON. Every problem is reported with its field path; resources are validated by
 * the resources area, whose errors name the document index and field path. All or nothing.
 */
import { parse as parseYaml } from 'yaml'
import { ErrorCodes, PolicyError, type Result } from '../errors.ts'
import { parseIP } from '../evaluator/ip.ts'
import type { Flow, FlowSide } from '../evaluator/types.ts'
import { loadResources, validateResources } from '../resources/index.ts'
import type {
  Endpoint,
  EndpointPort,
  Namespace,
  Resource,
  ServiceAccount,
} from '../resources/types.ts'

/** A flow of a scenario, with the optional expectations of conformance files. */
export interface ScenarioFlow extends Flow {
  /** Expected enforced verdict (conformance files). */
  expect?: 'Allow' | 'Deny'
  /** Expected staged verdict; equals `expect` when absent. */
  expectStaged?: 'Allow' | 'Deny'
}

/** A validated scenario. */
export interface Scenario {
  namespaces: Namespace[]
  serviceAccounts: ServiceAccount[]
  endpoints: Endpoint[]
  resources: Resource[]
  flows: ScenarioFlow[]
}

type Obj = Record<string, unknown>

class Problems {
  readonly errors: PolicyError[] = []
  add(field: string, message: string, code: keyof typeof ErrorCodes = 'SCENARIO'): void {
    this.errors.push(new PolicyError(ErrorCodes[code], message, { field }))
  }
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function describe(v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'a list'
  return typeof v === 'string' ? `'${v}'` : typeof v
}

function checkKeys(p: Problems, o: Obj, path: string, allowed: readonly string[]): void {
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k)) {
      p.add(
        `${path}.${k}`,
        `unknown field '${k}'; expected one of ${allowed.join(', ')}`,
        'UNKNOWN_FIELD',
      )
    }
  }
}

function readString(
  p: Problems,
  o: Obj,
  key: string,
  path: string,
  required: boolean,
): string | undefined {
  const v = o[key]
  if (v === undefined || v === null) {
    if (required)
      p.add(`${path}.${key}`, `expected a non-empty string for ${key}`, 'REQUIRED_FIELD')
    return undefined
  }
  if (typeof v !== 'string' || v === '') {
    p.add(`${path}.${key}`, `expected a non-empty string, got ${describe(v)}`, 'INVALID_TYPE')
    return undefined
  }
  return v
}

function readLabels(
  p: Problems,
  o: Obj,
  key: string,
  path: string,
): Record<string, string> | undefined {
  const v = o[key]
  if (v === undefined || v === null) return undefined
  if (!isObj(v)) {
    p.add(`${path}.${key}`, `expected a map of label strings, got ${describe(v)}`, 'INVALID_TYPE')
    return undefined
  }
  const out: Record<string, string> = {}
  for (const [k, val] of Object.entries(v)) {
    if (typeof val === 'string') out[k] = val
    else if (typeof val === 'number' || typeof val === 'boolean') out[k] = String(val)
    else
      p.add(
        `${path}.${key}.${k}`,
        `expected a string label value, got ${describe(val)}`,
        'INVALID_TYPE',
      )
  }
  return out
}

function readList(p: Problems, root: Obj, key: string, required: boolean): unknown[] {
  const v = root[key]
  if (v === undefined || v === null) {
    if (required) p.add(key, `expected a list of ${key}`, 'REQUIRED_FIELD')
    return []
  }
  if (!Array.isArray(v)) {
    p.add(key, `expected a list, got ${describe(v)}`, 'INVALID_TYPE')
    return []
  }
  return v
}

const PORT_PROTOCOLS = ['TCP', 'UDP', 'SCTP']

function readEndpoint(p: Problems, raw: unknown, path: string): Endpoint | undefined {
  if (!isObj(raw)) {
    p.add(path, `expected an endpoint object, got ${describe(raw)}`, 'INVALID_TYPE')
    return undefined
  }
  checkKeys(p, raw, path, [
    'name',
    'namespace',
    'kind',
    'labels',
    'serviceAccount',
    'ips',
    'ports',
    'node',
    'profiles',
  ])
  const name = readString(p, raw, 'name', path, true)
  const kindRaw = raw.kind ?? 'workload'
  if (kindRaw !== 'workload' && kindRaw !== 'host') {
    p.add(`${path}.kind`, `expected workload or host, got ${describe(kindRaw)}`, 'INVALID_VALUE')
  }
  const kind = kindRaw === 'host' ? 'host' : 'workload'
  const namespace = readString(p, raw, 'namespace', path, kind === 'workload')
  if (kind === 'host' && namespace !== undefined) {
    p.add(`${path}.namespace`, 'expected no namespace on a host endpoint', 'INVALID_VALUE')
  }
  const labels = readLabels(p, raw, 'labels', path)
  const serviceAccount = readString(p, raw, 'serviceAccount', path, false)
  const ep: Endpoint = { name: name ?? '', kind }
  if (namespace !== undefined && kind === 'workload') ep.namespace = namespace
  if (labels) ep.labels = labels
  if (serviceAccount !== undefined) ep.serviceAccount = serviceAccount
  const node = readString(p, raw, 'node', path, false)
  if (node !== undefined) ep.node = node
  if (raw.ips !== undefined && raw.ips !== null) {
    if (!Array.isArray(raw.ips))
      p.add(
        `${path}.ips`,
        `expected a list of IP addresses, got ${describe(raw.ips)}`,
        'INVALID_TYPE',
      )
    else {
      ep.ips = []
      raw.ips.forEach((ip, i) => {
        if (typeof ip !== 'string' || !parseIP(ip)) {
          p.add(
            `${path}.ips[${i}]`,
            `expected an IPv4 or IPv6 address, got ${describe(ip)}`,
            'INVALID_VALUE',
          )
        } else ep.ips?.push(ip)
      })
    }
  }
  if (raw.profiles !== undefined && raw.profiles !== null) {
    if (!Array.isArray(raw.profiles) || raw.profiles.some((x) => typeof x !== 'string')) {
      p.add(`${path}.profiles`, 'expected a list of profile names', 'INVALID_TYPE')
    } else ep.profiles = raw.profiles as string[]
  }
  if (raw.ports !== undefined && raw.ports !== null) {
    if (!Array.isArray(raw.ports))
      p.add(
        `${path}.ports`,
        `expected a list of named ports, got ${describe(raw.ports)}`,
        'INVALID_TYPE',
      )
    else {
      ep.ports = []
      raw.ports.forEach((port, i) => {
        const pp = `${path}.ports[${i}]`
        if (!isObj(port)) {
          p.add(pp, `expected {name, port, protocol}, got ${describe(port)}`, 'INVALID_TYPE')
          return
        }
        checkKeys(p, port, pp, ['name', 'port', 'protocol'])
        const pname = readString(p, port, 'name', pp, true)
        const num = port.port
        if (typeof num !== 'number' || !Number.isInteger(num) || num < 1 || num > 65535) {
          p.add(
            `${pp}.port`,
            `expected a port number between 1 and 65535, got ${describe(num)}`,
            'INVALID_VALUE',
          )
        }
        const proto = port.protocol ?? 'TCP'
        if (typeof proto !== 'string' || !PORT_PROTOCOLS.includes(proto.toUpperCase())) {
          p.add(
            `${pp}.protocol`,
            `expected TCP, UDP or SCTP, got ${describe(proto)}`,
            'INVALID_VALUE',
          )
        }
        if (pname !== undefined && typeof num === 'number' && typeof proto === 'string') {
          const np: EndpointPort = { name: pname, port: num, protocol: proto.toUpperCase() }
          ep.ports?.push(np)
        }
      })
    }
  }
  return ep
}

const FLOW_PROTOCOL_NAMES = ['TCP', 'UDP', 'SCTP', 'ICMP', 'ICMPV6', 'UDPLITE']

function readSide(p: Problems, raw: unknown, path: string): FlowSide | undefined {
  if (!isObj(raw)) {
    p.add(
      path,
      `expected {endpoint: namespace/name} or {ip: address}, got ${describe(raw)}`,
      'INVALID_TYPE',
    )
    return undefined
  }
  checkKeys(p, raw, path, ['endpoint', 'ip'])
  if (raw.endpoint !== undefined && raw.ip !== undefined) {
    p.add(path, 'expected either endpoint or ip, not both', 'INVALID_VALUE')
    return undefined
  }
  if (raw.ip !== undefined) {
    if (typeof raw.ip !== 'string' || !parseIP(raw.ip)) {
      p.add(
        `${path}.ip`,
        `expected an IPv4 or IPv6 address, got ${describe(raw.ip)}`,
        'INVALID_VALUE',
      )
      return undefined
    }
    return { ip: raw.ip }
  }
  const ep = readString(p, raw, 'endpoint', path, true)
  return ep === undefined ? undefined : { endpoint: ep }
}

function readFlow(p: Problems, raw: unknown, path: string): ScenarioFlow | undefined {
  if (!isObj(raw)) {
    p.add(path, `expected a flow object, got ${describe(raw)}`, 'INVALID_TYPE')
    return undefined
  }
  const idRaw = raw.id
  const id = typeof idRaw === 'number' ? String(idRaw) : readString(p, raw, 'id', path, true)
  const source = readSide(p, raw.source, `${path}.source`)
  const destination = readSide(p, raw.destination, `${path}.destination`)
  const proto = raw.protocol
  let protocol: string | number | undefined
  if (typeof proto === 'number' && Number.isInteger(proto) && proto >= 1 && proto <= 255)
    protocol = proto
  else if (
    typeof proto === 'string' &&
    (FLOW_PROTOCOL_NAMES.includes(proto.toUpperCase()) || /^\d+$/.test(proto))
  ) {
    protocol = /^\d+$/.test(proto) ? Number(proto) : proto
    if (typeof protocol === 'number' && (protocol < 1 || protocol > 255)) protocol = undefined
  }
  if (protocol === undefined) {
    p.add(
      `${path}.protocol`,
      `expected TCP, UDP, SCTP, ICMP, ICMPv6, UDPLite or a protocol number 1-255, got ${describe(proto)}`,
      'INVALID_VALUE',
    )
  }
  const flow: ScenarioFlow = {
    id: id ?? '',
    source: source ?? { ip: '0.0.0.0' },
    destination: destination ?? { ip: '0.0.0.0' },
    protocol: protocol ?? 'TCP',
  }
  if (raw.port !== undefined && raw.port !== null) {
    const port =
      typeof raw.port === 'string' && /^\d+$/.test(raw.port) ? Number(raw.port) : raw.port
    if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) {
      p.add(
        `${path}.port`,
        `expected a port number between 0 and 65535, got ${describe(raw.port)}`,
        'INVALID_VALUE',
      )
    } else flow.port = port
  }
  for (const key of ['icmpType', 'icmpCode'] as const) {
    const v = raw[key]
    if (v === undefined || v === null) continue
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 255) {
      p.add(
        `${path}.${key}`,
        `expected a number between 0 and 255, got ${describe(v)}`,
        'INVALID_VALUE',
      )
    } else flow[key] = v
  }
  // Expectations belong to whoever judges the output: read when they say Allow or Deny (in
  // any case), never a reason to refuse the scenario.
  for (const key of ['expect', 'expectStaged'] as const) {
    const v = typeof raw[key] === 'string' ? (raw[key] as string).toLowerCase() : undefined
    if (v === 'allow') flow[key] = 'Allow'
    else if (v === 'deny') flow[key] = 'Deny'
  }
  return flow
}

/**
 * The resources as a cluster holds them after applying the list in order: a later document with
 * the same apiVersion, kind, namespace and name replaces the earlier one.
 */
function lastOfEach(resources: readonly Resource[]): Resource[] {
  const key = (r: Resource) =>
    `${r.apiVersion}/${r.kind}/${r.metadata.namespace ?? ''}/${r.metadata.name}`
  const last = new Map<string, Resource>()
  for (const r of resources) last.set(key(r), r)
  return resources.filter((r) => last.get(key(r)) === r)
}

/** Parses the document text: JSON when it is JSON, YAML otherwise. */
function parseDocument(text: string): Result<unknown> {
  try {
    return {
      ok: true,
      value: parseYaml(text, {
        uniqueKeys: true,
        merge: true,
        maxAliasCount: 100,
        logLevel: 'error',
      }) as unknown,
    }
  } catch (e) {
    const message = e instanceof Error ? (e.message.split('\n')[0] ?? e.message) : String(e)
    return {
      ok: false,
      errors: [
        new PolicyError(ErrorCodes.YAML_SYNTAX, `expected a YAML or JSON scenario: ${message}`),
      ],
    }
  }
}

/** The reference a flow uses for an endpoint: `ns/name`, or a host endpoint's name. */
export function endpointRef(ep: Endpoint): string {
  return (ep.kind ?? 'workload') === 'host' ? ep.name : `${ep.namespace ?? 'default'}/${ep.name}`
}

/**
 * Reads and validates a scenario (YAML or JSON text). Errors carry the field path
 * (`endpoints[3].namespace`, `flows[0].source.endpoint`); resource errors carry the document
 * index and field path inside the resource. Nothing is returned unless everything is valid.
 */
export function readScenario(text: string): Result<Scenario> {
  const parsed = parseDocument(text)
  if (!parsed.ok) return parsed
  return validateScenario(parsed.value)
}

/** Validates an already-parsed scenario document (the server's JSON body). */
export function validateScenario(doc: unknown): Result<Scenario> {
  const p = new Problems()
  if (!isObj(doc)) {
    p.add(
      '',
      `expected a scenario object with endpoints, resources and flows, got ${describe(doc)}`,
    )
    return { ok: false, errors: p.errors }
  }
  const namespaces: Namespace[] = []
  for (const [i, raw] of readList(p, doc, 'namespaces', false).entries()) {
    const path = `namespaces[${i}]`
    if (!isObj(raw)) {
      p.add(path, `expected {name, labels}, got ${describe(raw)}`, 'INVALID_TYPE')
      continue
    }
    checkKeys(p, raw, path, ['name', 'labels'])
    const name = readString(p, raw, 'name', path, true)
    const labels = readLabels(p, raw, 'labels', path)
    if (name !== undefined) {
      if (namespaces.some((n) => n.name === name))
        p.add(
          `${path}.name`,
          `expected a unique namespace name, '${name}' is listed twice`,
          'INVALID_VALUE',
        )
      namespaces.push({ name, labels: labels ?? {} })
    }
  }
  const serviceAccounts: ServiceAccount[] = []
  for (const [i, raw] of readList(p, doc, 'serviceAccounts', false).entries()) {
    const path = `serviceAccounts[${i}]`
    if (!isObj(raw)) {
      p.add(path, `expected {name, namespace, labels}, got ${describe(raw)}`, 'INVALID_TYPE')
      continue
    }
    checkKeys(p, raw, path, ['name', 'namespace', 'labels'])
    const name = readString(p, raw, 'name', path, true)
    const namespace = readString(p, raw, 'namespace', path, true)
    const labels = readLabels(p, raw, 'labels', path)
    if (name !== undefined && namespace !== undefined)
      serviceAccounts.push({ name, namespace, labels: labels ?? {} })
  }
  const endpoints: Endpoint[] = []
  const refs = new Set<string>()
  readList(p, doc, 'endpoints', true).forEach((raw, i) => {
    const ep = readEndpoint(p, raw, `endpoints[${i}]`)
    if (!ep) return
    const ref = endpointRef(ep)
    if (refs.has(ref))
      p.add(
        `endpoints[${i}].name`,
        `expected a unique endpoint, '${ref}' is listed twice`,
        'INVALID_VALUE',
      )
    refs.add(ref)
    endpoints.push(ep)
  })
  const flows: ScenarioFlow[] = []
  const ids = new Set<string>()
  readList(p, doc, 'flows', true).forEach((raw, i) => {
    const path = `flows[${i}]`
    const f = readFlow(p, raw, path)
    if (!f) return
    if (ids.has(f.id))
      p.add(`${path}.id`, `expected a unique flow id, '${f.id}' is used twice`, 'INVALID_VALUE')
    ids.add(f.id)
    for (const side of ['source', 'destination'] as const) {
      const s = f[side]
      if ('endpoint' in s && !refs.has(s.endpoint)) {
        p.add(
          `${path}.${side}.endpoint`,
          `expected namespace/name of a listed endpoint (or a host endpoint's name), got '${s.endpoint}'`,
          'INVALID_VALUE',
        )
      }
    }
    flows.push(f)
  })
  let resources: Resource[] = []
  const rawResources = doc.resources
  if (rawResources !== undefined && rawResources !== null) {
    const loaded =
      typeof rawResources === 'string'
        ? loadResources(rawResources)
        : Array.isArray(rawResources)
          ? validateResources(rawResources)
          : undefined
    if (!loaded)
      p.add(
        'resources',
        `expected a multi-document YAML string or a list of resources, got ${describe(rawResources)}`,
        'INVALID_TYPE',
      )
    else if (!loaded.ok) p.errors.push(...loaded.errors)
    else resources = lastOfEach(loaded.value)
  }
  if (p.errors.length) return { ok: false, errors: p.errors }
  return { ok: true, value: { namespaces, serviceAccounts, endpoints, resources, flows } }
}
