/**
 * Label governance over the inventory: reserved label keys on workloads and namespaces,
 * required label keys, and allowed value prefixes; plus the rules' own YAML/JSON reader.
 */
import { parse } from 'yaml'
import { ErrorCodes, PolicyError, type Result } from '../errors.ts'
import type { Endpoint, Namespace } from '../resources/types.ts'
import { LintCodes, type LintFinding } from './types.ts'

/** What labels workloads and namespaces must carry. */
export interface LabelRules {
  /** Label keys every workload must carry. */
  requireWorkloadLabels?: string[]
  /** Label keys every namespace must carry. */
  requireNamespaceLabels?: string[]
  /** Label key → allowed value prefixes: a workload or namespace carrying the key must have a value starting with one. */
  allowedValuePrefixes?: Record<string, string[]>
  /** Per namespace: label keys its workloads must carry, on top of `requireWorkloadLabels`. */
  namespaces?: Record<string, { requireWorkloadLabels?: string[] }>
}

/** What `lintLabels` reads. */
export interface LabelInput {
  namespaces?: readonly Namespace[]
  endpoints?: readonly Endpoint[]
}

/** Label-key domains reserved for Kubernetes, Calico and Tigera (the domain or any subdomain of it). */
export const RESERVED_LABEL_DOMAINS: readonly string[] = [
  'kubernetes.io',
  'k8s.io',
  'tigera.io',
  'projectcalico.org',
  'calico',
]

/**
 * Keys under reserved domains that Kubernetes itself sets or recommends, and that are fine on
 * workloads and namespaces: the recommended `app.kubernetes.io/*` labels and labels the
 * control plane writes.
 */
export const WELL_KNOWN_LABEL_KEYS: readonly string[] = [
  'kubernetes.io/metadata.name',
  'kubernetes.io/os',
  'kubernetes.io/arch',
  'kubernetes.io/hostname',
  'statefulset.kubernetes.io/pod-name',
  'apps.kubernetes.io/pod-index',
  'batch.kubernetes.io/job-name',
  'batch.kubernetes.io/controller-uid',
]

/** Key prefixes (before `/`) whose whole namespace is recommended for users. */
const WELL_KNOWN_PREFIXES: readonly string[] = ['app.kubernetes.io/']

/** Label-key prefixes Calico gives inherited profile labels; an own label with them shadows the inherited one. */
const PROFILE_PREFIXES: readonly string[] = ['pcns.', 'pcsa.']

/**
 * Why a label key is reserved, or undefined when it is free to use. A key is reserved when its
 * prefix domain equals or ends with a reserved domain (`node.kubernetes.io/x`,
 * `projectcalico.org/x`), or it starts like an inherited Calico profile label (`pcns.`).
 */
export function reservedKeyReason(key: string): string | undefined {
  if (WELL_KNOWN_LABEL_KEYS.includes(key) || WELL_KNOWN_PREFIXES.some((p) => key.startsWith(p))) {
    return undefined
  }
  const profile = PROFILE_PREFIXES.find((p) => key.startsWith(p))
  if (profile)
    return `'${profile}' is the prefix Calico gives inherited profile labels; an own label shadows them`
  const slash = key.indexOf('/')
  if (slash < 0) return undefined
  const domain = key.slice(0, slash)
  const reserved = RESERVED_LABEL_DOMAINS.find((d) => domain === d || domain.endsWith(`.${d}`))
  return reserved ? `the '${reserved}' domain is reserved for the platform` : undefined
}

function labelPath(key: string): string {
  return `metadata.labels['${key}']`
}

function endpointRef(e: Endpoint): string {
  return (e.kind ?? 'workload') === 'host'
    ? `HostEndpoint ${e.name}`
    : `Pod ${e.namespace ?? 'default'}/${e.name}`
}

/**
 * Lints the labels of namespaces and endpoints: reserved keys (warning), missing required
 * keys (error) and values without an allowed prefix (error). Findings follow input order.
 */
export function lintLabels(input: LabelInput, rules: LabelRules = {}): LintFinding[] {
  const out: LintFinding[] = []
  const checkCarrier = (
    resource: string,
    labels: Record<string, string>,
    required: readonly string[],
  ) => {
    for (const key of Object.keys(labels).sort()) {
      const reason = reservedKeyReason(key)
      if (reason) {
        out.push({
          code: LintCodes.RESERVED_LABEL_KEY,
          severity: 'warning',
          message: `label key '${key}' is reserved: ${reason}`,
          resource,
          path: labelPath(key),
          fix: `rename the label to a key under your own domain (e.g. 'example.com/${key.slice(key.indexOf('/') + 1)}')`,
        })
      }
      const prefixes = rules.allowedValuePrefixes?.[key]
      const value = labels[key] ?? ''
      if (prefixes && !prefixes.some((p) => value.startsWith(p))) {
        out.push({
          code: LintCodes.LABEL_VALUE_PREFIX,
          severity: 'error',
          message: `label '${key}' has value '${value}', expected a value starting with ${prefixes.map((p) => `'${p}'`).join(' or ')}`,
          resource,
          path: labelPath(key),
          fix: `set '${key}' to a value starting with '${prefixes[0] ?? ''}'`,
        })
      }
    }
    for (const key of new Set(required)) {
      if (key in labels) continue
      out.push({
        code: LintCodes.MISSING_REQUIRED_LABEL,
        severity: 'error',
        message: `required label '${key}' is missing`,
        resource,
        path: 'metadata.labels',
        fix: `add the label '${key}'`,
      })
    }
  }
  for (const ns of input.namespaces ?? []) {
    checkCarrier(`Namespace ${ns.name}`, ns.labels ?? {}, rules.requireNamespaceLabels ?? [])
  }
  for (const e of input.endpoints ?? []) {
    const workload = (e.kind ?? 'workload') === 'workload'
    const required = workload
      ? [
          ...(rules.requireWorkloadLabels ?? []),
          ...(rules.namespaces?.[e.namespace ?? 'default']?.requireWorkloadLabels ?? []),
        ]
      : []
    checkCarrier(endpointRef(e), e.labels ?? {}, required)
  }
  return out
}

const RULE_FIELDS = [
  'requireWorkloadLabels',
  'requireNamespaceLabels',
  'allowedValuePrefixes',
  'namespaces',
]

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
}

/**
 * Reads label rules from YAML or JSON text. Every problem is reported with its field path
 * (`namespaces.shop.requireWorkloadLabels[1]`); unknown fields are errors.
 */
export function parseLabelRules(text: string): Result<LabelRules> {
  let doc: unknown
  try {
    doc = parse(text)
  } catch (e) {
    const message = e instanceof Error ? e.message.split('\n')[0] : String(e)
    return {
      ok: false,
      errors: [new PolicyError(ErrorCodes.YAML_SYNTAX, `expected YAML or JSON: ${message}`)],
    }
  }
  const errors: PolicyError[] = []
  const err = (
    code: (typeof ErrorCodes)[keyof typeof ErrorCodes],
    field: string,
    message: string,
  ) => errors.push(new PolicyError(code, message, { field }))
  const stringList = (v: unknown, path: string): string[] | undefined => {
    if (!Array.isArray(v)) {
      err(ErrorCodes.INVALID_TYPE, path, 'expected a list of strings')
      return undefined
    }
    v.forEach((item, i) => {
      if (typeof item !== 'string' || item === '')
        err(ErrorCodes.INVALID_TYPE, `${path}[${i}]`, 'expected a non-empty string')
    })
    return v.filter((x): x is string => typeof x === 'string' && x !== '')
  }
  if (doc === null || doc === undefined) return { ok: true, value: {} }
  if (!isObject(doc)) {
    return {
      ok: false,
      errors: [new PolicyError(ErrorCodes.INVALID_TYPE, 'expected a mapping of label rules')],
    }
  }
  const rules: LabelRules = {}
  for (const key of Object.keys(doc)) {
    if (!RULE_FIELDS.includes(key))
      err(ErrorCodes.UNKNOWN_FIELD, key, `unknown field; expected one of ${RULE_FIELDS.join(', ')}`)
  }
  if (doc.requireWorkloadLabels !== undefined) {
    const l = stringList(doc.requireWorkloadLabels, 'requireWorkloadLabels')
    if (l) rules.requireWorkloadLabels = l
  }
  if (doc.requireNamespaceLabels !== undefined) {
    const l = stringList(doc.requireNamespaceLabels, 'requireNamespaceLabels')
    if (l) rules.requireNamespaceLabels = l
  }
  if (doc.allowedValuePrefixes !== undefined) {
    if (!isObject(doc.allowedValuePrefixes)) {
      err(
        ErrorCodes.INVALID_TYPE,
        'allowedValuePrefixes',
        'expected a mapping of label key to a list of prefixes',
      )
    } else {
      const m: Record<string, string[]> = {}
      for (const [k, v] of Object.entries(doc.allowedValuePrefixes)) {
        const l = stringList(v, `allowedValuePrefixes.${k}`)
        if (l) m[k] = l
      }
      rules.allowedValuePrefixes = m
    }
  }
  if (doc.namespaces !== undefined) {
    if (!isObject(doc.namespaces)) {
      err(ErrorCodes.INVALID_TYPE, 'namespaces', 'expected a mapping of namespace name to rules')
    } else {
      const m: Record<string, { requireWorkloadLabels?: string[] }> = {}
      for (const [ns, v] of Object.entries(doc.namespaces)) {
        if (!isObject(v)) {
          err(
            ErrorCodes.INVALID_TYPE,
            `namespaces.${ns}`,
            'expected a mapping with requireWorkloadLabels',
          )
          continue
        }
        for (const k of Object.keys(v)) {
          if (k !== 'requireWorkloadLabels') {
            err(
              ErrorCodes.UNKNOWN_FIELD,
              `namespaces.${ns}.${k}`,
              'unknown field; expected requireWorkloadLabels',
            )
          }
        }
        const entry: { requireWorkloadLabels?: string[] } = {}
        if (v.requireWorkloadLabels !== undefined) {
          const l = stringList(v.requireWorkloadLabels, `namespaces.${ns}.requireWorkloadLabels`)
          if (l) entry.requireWorkloadLabels = l
        }
        m[ns] = entry
      }
      rules.namespaces = m
    }
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: rules }
}
