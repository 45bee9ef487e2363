/**
 * Resource validation: `validateResource` checks one parsed document against everything
 * Calico (or the Kubernetes API server) would check, reports every problem with its field
 * path, and returns the resource with Calico's defaults applied. `loadResources` parses and
 * validates a whole YAML text, all or nothing.
 */
import { ErrorCodes, type PolicyError, type Result } from '../errors.ts'
import { Checker, isPlainObject, readString, sub, typeName } from './check.ts'
import { type NameRule, readMetadata } from './metadata.ts'
import {
  DNS_LABEL_MAX,
  DNS_LABEL_RE,
  DNS_SUBDOMAIN_MAX,
  DNS_SUBDOMAIN_RE,
  GLOBAL_NETWORK_POLICY_NAME_RE,
  NETWORK_POLICY_NAME_RE,
} from './names.ts'
import {
  CALICO_API_VERSION,
  K8S_NETWORKING_API_VERSION,
  type Resource,
  resourceRef,
} from './types.ts'
import { readK8sPolicySpec } from './validate-k8s.ts'
import { readHostEndpointSpec, readNetworkSetSpec, readTierSpec } from './validate-other.ts'
import { type CalicoPolicyKind, checkTierPrefix, readCalicoPolicySpec } from './validate-policy.ts'
import { parseYamlDocuments, type YamlLimits } from './yaml.ts'

/** Calico kinds Policyboard reads, with how each is named. */
const CALICO_KINDS = {
  Tier: {
    namespaced: false,
    pattern: DNS_LABEL_RE,
    max: DNS_LABEL_MAX,
    describe: 'a DNS label: lowercase alphanumerics and -, no dots',
  },
  NetworkPolicy: {
    namespaced: true,
    pattern: NETWORK_POLICY_NAME_RE,
    max: DNS_SUBDOMAIN_MAX,
    describe:
      'a lowercase DNS label with at most one dot (optionally <tier>.<name>), no uppercase or _',
  },
  StagedNetworkPolicy: {
    namespaced: true,
    pattern: NETWORK_POLICY_NAME_RE,
    max: DNS_SUBDOMAIN_MAX,
    describe:
      'a lowercase DNS label with at most one dot (optionally <tier>.<name>), no uppercase or _',
  },
  GlobalNetworkPolicy: {
    namespaced: false,
    pattern: GLOBAL_NETWORK_POLICY_NAME_RE,
    max: DNS_SUBDOMAIN_MAX,
    describe:
      'a lowercase DNS label with at most one dot (optionally <tier>.<name>), no uppercase or _',
  },
  StagedGlobalNetworkPolicy: {
    namespaced: false,
    pattern: GLOBAL_NETWORK_POLICY_NAME_RE,
    max: DNS_SUBDOMAIN_MAX,
    describe:
      'a lowercase DNS label with at most one dot (optionally <tier>.<name>), no uppercase or _',
  },
  StagedKubernetesNetworkPolicy: {
    namespaced: true,
    pattern: DNS_SUBDOMAIN_RE,
    max: DNS_SUBDOMAIN_MAX,
    describe: 'a lowercase DNS subdomain',
  },
  NetworkSet: {
    namespaced: true,
    pattern: DNS_SUBDOMAIN_RE,
    max: DNS_SUBDOMAIN_MAX,
    describe: 'a lowercase DNS subdomain',
  },
  GlobalNetworkSet: {
    namespaced: false,
    pattern: DNS_SUBDOMAIN_RE,
    max: DNS_SUBDOMAIN_MAX,
    describe: 'a lowercase DNS subdomain',
  },
  HostEndpoint: {
    namespaced: false,
    pattern: DNS_SUBDOMAIN_RE,
    max: DNS_SUBDOMAIN_MAX,
    describe: 'a lowercase DNS subdomain',
  },
} as const satisfies Record<string, NameRule>

const K8S_POLICY_NAME: NameRule = {
  namespaced: true,
  pattern: DNS_SUBDOMAIN_RE,
  max: DNS_SUBDOMAIN_MAX,
  describe: 'a lowercase DNS subdomain',
}

/** Top-level fields of a resource; `status` is server-written and dropped. */
const TOP_FIELDS = ['apiVersion', 'kind', 'metadata', 'spec', 'status']

/** Where a document came from, for error locations. */
export interface DocumentWhere {
  /** Index of the document in its input. */
  document?: number
  /** Field path prefix inside the document (`items[3]` for an item of a `List`). */
  path?: string
}

/** The Calico kinds `validateResource` accepts. */
export const CALICO_RESOURCE_KINDS: readonly string[] = Object.keys(CALICO_KINDS)

function checkKind(
  c: Checker,
  o: Record<string, unknown>,
): { calico: boolean; kind: string } | undefined {
  const apiVersion = readString(c, o.apiVersion, 'apiVersion')
  const kind = readString(c, o.kind, 'kind')
  if (apiVersion === undefined)
    c.report(
      ErrorCodes.REQUIRED_FIELD,
      'apiVersion',
      `expected apiVersion ${CALICO_API_VERSION} or ${K8S_NETWORKING_API_VERSION}`,
    )
  if (kind === undefined) c.report(ErrorCodes.REQUIRED_FIELD, 'kind', 'expected a kind')
  if (apiVersion === undefined || kind === undefined) return undefined
  if (apiVersion === CALICO_API_VERSION) {
    if (Object.hasOwn(CALICO_KINDS, kind)) return { calico: true, kind }
    c.report(
      ErrorCodes.UNKNOWN_KIND,
      'kind',
      `expected one of ${CALICO_RESOURCE_KINDS.join(', ')} for ${CALICO_API_VERSION}, got '${kind}'`,
    )
    return undefined
  }
  if (apiVersion === K8S_NETWORKING_API_VERSION) {
    if (kind === 'NetworkPolicy') return { calico: false, kind }
    c.report(
      ErrorCodes.UNKNOWN_KIND,
      'kind',
      `expected NetworkPolicy for ${K8S_NETWORKING_API_VERSION}, got '${kind}'`,
    )
    return undefined
  }
  c.report(
    ErrorCodes.UNKNOWN_KIND,
    'apiVersion',
    `expected apiVersion ${CALICO_API_VERSION} or ${K8S_NETWORKING_API_VERSION}, got '${apiVersion}'`,
  )
  return undefined
}

function readSpec(
  c: Checker,
  kind: keyof typeof CALICO_KINDS,
  spec: unknown,
  name: string,
): Resource['spec'] {
  switch (kind) {
    case 'Tier':
      return readTierSpec(c, spec, name)
    case 'NetworkPolicy':
    case 'GlobalNetworkPolicy':
    case 'StagedNetworkPolicy':
    case 'StagedGlobalNetworkPolicy': {
      const s = readCalicoPolicySpec(c, spec, kind satisfies CalicoPolicyKind)
      if (name) checkTierPrefix(c, name, s.tier ?? 'default')
      return s
    }
    case 'StagedKubernetesNetworkPolicy':
      return readK8sPolicySpec(c, spec, true)
    case 'NetworkSet':
    case 'GlobalNetworkSet':
      return readNetworkSetSpec(c, spec)
    case 'HostEndpoint':
      return readHostEndpointSpec(c, spec)
    default: {
      const never: never = kind
      return never
    }
  }
}

/**
 * Validates one parsed document as a resource. Reports every problem (not just the first),
 * each a `PolicyError` located by document, resource (`Kind ns/name`) and field path, and
 * returns the resource with Calico's defaults applied (tier `default`, inferred `types`,
 * `stagedAction: Set`, Tier `defaultAction: Deny`; KNPs get `policyTypes` and port protocol
 * `TCP` as the API server sets them). Server-written `status` is dropped.
 */
export function validateResource(raw: unknown, where: DocumentWhere = {}): Result<Resource> {
  const c = new Checker(
    where.document === undefined ? {} : { document: where.document },
    where.path ?? '',
  )
  if (!isPlainObject(raw)) {
    c.report(ErrorCodes.INVALID_TYPE, '', `expected a resource object, got ${typeName(raw)}`)
    return { ok: false, errors: c.errors }
  }
  const meta = isPlainObject(raw.metadata) ? raw.metadata : {}
  if (typeof raw.kind === 'string') {
    c.setResource(
      resourceRef({
        kind: raw.kind,
        metadata: {
          ...(typeof meta.name === 'string' ? { name: meta.name } : {}),
          ...(typeof meta.namespace === 'string' ? { namespace: meta.namespace } : {}),
        },
      }),
    )
  }
  const known = checkKind(c, raw)
  for (const key of Object.keys(raw)) {
    if (!TOP_FIELDS.includes(key)) {
      c.report(
        ErrorCodes.UNKNOWN_FIELD,
        sub('', key),
        `unknown field '${key}'; expected one of apiVersion, kind, metadata, spec`,
      )
    }
  }
  if (!known) return { ok: false, errors: c.errors }
  const rule = known.calico
    ? CALICO_KINDS[known.kind as keyof typeof CALICO_KINDS]
    : K8S_POLICY_NAME
  const metadata = readMetadata(c, raw.metadata, rule)
  if (
    (known.kind === 'NetworkSet' || known.kind === 'GlobalNetworkSet') &&
    metadata?.labels &&
    Object.hasOwn(metadata.labels, 'projectcalico.org/namespace')
  ) {
    c.report(
      ErrorCodes.INVALID_VALUE,
      "metadata.labels['projectcalico.org/namespace']",
      'expected no projectcalico.org/namespace label: Calico sets it from the namespace',
    )
  }
  const name = metadata?.name ?? ''
  const spec = known.calico
    ? readSpec(c, known.kind as keyof typeof CALICO_KINDS, raw.spec, name)
    : readK8sPolicySpec(c, raw.spec, false)
  if (c.failed || !metadata) return { ok: false, errors: c.errors }
  const apiVersion = known.calico ? CALICO_API_VERSION : K8S_NETWORKING_API_VERSION
  return { ok: true, value: { apiVersion, kind: known.kind, metadata, spec } as Resource }
}

/**
 * Validates a list of already-parsed resources (the scenario format can give them as a
 * list of objects), all or nothing: every error of every item, or every resource.
 */
export function validateResources(raws: readonly unknown[]): Result<Resource[]> {
  const errors: PolicyError[] = []
  const out: Resource[] = []
  for (const [document, raw] of raws.entries()) {
    const r = validateResource(raw, { document })
    if (r.ok) out.push(r.value)
    else errors.push(...r.errors)
  }
  return errors.length ? { ok: false, errors } : { ok: true, value: out }
}

/**
 * Parses a YAML/JSON text (multi-document, `kind: List` expanded) and validates every
 * document, all or nothing: any error gives `ok: false` with the errors of all documents.
 */
export function loadResources(text: string, limits?: YamlLimits): Result<Resource[]> {
  const parsed = parseYamlDocuments(text, limits)
  if (!parsed.ok) return parsed
  const errors: PolicyError[] = []
  const out: Resource[] = []
  for (const doc of parsed.value) {
    const r = validateResource(doc.value, {
      document: doc.document,
      ...(doc.path ? { path: doc.path } : {}),
    })
    if (r.ok) out.push(r.value)
    else errors.push(...r.errors)
  }
  return errors.length ? { ok: false, errors } : { ok: true, value: out }
}
