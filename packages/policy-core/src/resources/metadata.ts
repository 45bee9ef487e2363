/**
 * `metadata` of every resource: name and namespace presence, label and annotation keys and
 * values (Kubernetes qualified names), and the server-written fields Policyboard keeps but
 * does not interpret.
 */
import { ErrorCodes } from '../errors.ts'
import {
  type Checker,
  compact,
  readInteger,
  readList,
  readObject,
  readString,
  readStringList,
  readStringMap,
  sub,
} from './check.ts'
import { DNS_LABEL_MAX, DNS_LABEL_RE, DNS_SUBDOMAIN_MAX, DNS_SUBDOMAIN_RE } from './names.ts'
import type { ObjectMeta } from './types.ts'

/** `metadata` fields the server writes; dropped on export unless asked for. */
export const SERVER_METADATA_FIELDS: readonly string[] = [
  'uid',
  'resourceVersion',
  'creationTimestamp',
  'generation',
  'managedFields',
  'selfLink',
  'ownerReferences',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
]

const METADATA_FIELDS = [
  'name',
  'generateName',
  'namespace',
  'labels',
  'annotations',
  'finalizers',
  ...SERVER_METADATA_FIELDS,
]

const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/
/** Total size Calico allows for the annotations of one object (256 kB). */
const MAX_ANNOTATIONS_BYTES = 256 * 1024

/** Why `key` is not a Kubernetes qualified name (`[prefix/]name`), or undefined when it is. */
export function qualifiedNameProblem(key: string): string | undefined {
  const parts = key.split('/')
  if (parts.length > 2) return `expected at most one '/' in key '${key}'`
  const name = parts.length === 2 ? (parts[1] ?? '') : key
  if (parts.length === 2) {
    const prefix = parts[0] ?? ''
    if (!prefix || prefix.length > DNS_SUBDOMAIN_MAX || !DNS_SUBDOMAIN_RE.test(prefix)) {
      return `expected the prefix of key '${key}' to be a lowercase DNS subdomain`
    }
  }
  if (!name || name.length > 63 || !QUALIFIED_NAME_PART.test(name)) {
    return `expected key '${key}' to have a name part of at most 63 alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric`
  }
  return undefined
}

/** Checks label keys and values (values: at most 63 characters, same alphabet, may be empty). */
export function validateLabels(c: Checker, labels: Record<string, string>, path: string): void {
  for (const [k, v] of Object.entries(labels)) {
    const problem = qualifiedNameProblem(k)
    if (problem) c.report(ErrorCodes.INVALID_VALUE, sub(path, k), problem)
    if (v !== '' && (v.length > 63 || !QUALIFIED_NAME_PART.test(v))) {
      c.report(
        ErrorCodes.INVALID_VALUE,
        sub(path, k),
        `expected a label value of at most 63 alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric, got '${v}'`,
      )
    }
  }
}

/** Checks annotation keys and their total size. */
export function validateAnnotations(
  c: Checker,
  annotations: Record<string, string>,
  path: string,
): void {
  let size = 0
  for (const [k, v] of Object.entries(annotations)) {
    const problem = qualifiedNameProblem(k.toLowerCase())
    if (problem) c.report(ErrorCodes.INVALID_VALUE, sub(path, k), problem)
    size += k.length + v.length
  }
  if (size > MAX_ANNOTATIONS_BYTES) {
    c.report(
      ErrorCodes.INVALID_VALUE,
      path,
      `expected annotations of at most ${MAX_ANNOTATIONS_BYTES} bytes in total, got ${size}`,
    )
  }
}

/** How a kind names its objects. */
export interface NameRule {
  /** Whether the kind lives in a namespace. */
  namespaced: boolean
  /** The regular expression the name must match. */
  pattern: RegExp
  /** Longest name. */
  max: number
  /** What the pattern means, for the message. */
  describe: string
}

/** Reads `metadata`, checking the name against `rule` and the namespace against the kind's scope. */
export function readMetadata(c: Checker, value: unknown, rule: NameRule): ObjectMeta | undefined {
  if (value === undefined || value === null) {
    c.report(ErrorCodes.REQUIRED_FIELD, 'metadata', 'expected metadata with a name')
    return undefined
  }
  const o = readObject(c, value, 'metadata', METADATA_FIELDS)
  if (!o) return undefined
  const name = readString(c, o.name, 'metadata.name')
  if (name === undefined || name === '') {
    if (o.name === undefined || o.name === null || o.name === '') {
      c.report(ErrorCodes.REQUIRED_FIELD, 'metadata.name', 'expected a name')
    }
  } else if (name.length > rule.max) {
    c.report(
      ErrorCodes.INVALID_NAME,
      'metadata.name',
      `expected a name of at most ${rule.max} characters, got ${name.length}`,
    )
  } else if (!rule.pattern.test(name)) {
    c.report(ErrorCodes.INVALID_NAME, 'metadata.name', `expected ${rule.describe}, got '${name}'`)
  }
  let namespace = readString(c, o.namespace, 'metadata.namespace')
  if (rule.namespaced) {
    // Without one, kubectl and calicoctl place a namespaced resource in `default`.
    if (namespace === undefined) namespace = 'default'
    if (namespace.length > DNS_LABEL_MAX || !DNS_LABEL_RE.test(namespace)) {
      c.report(
        ErrorCodes.INVALID_NAME,
        'metadata.namespace',
        `expected a namespace that is a DNS label, got '${namespace}'`,
      )
    }
  } else if (namespace !== undefined) {
    c.report(
      ErrorCodes.INVALID_VALUE,
      'metadata.namespace',
      'expected no namespace: this kind is cluster-wide',
    )
  }
  const labels = readStringMap(c, o.labels, 'metadata.labels')
  if (labels) validateLabels(c, labels, 'metadata.labels')
  const annotations = readStringMap(c, o.annotations, 'metadata.annotations')
  if (annotations) validateAnnotations(c, annotations, 'metadata.annotations')
  return compact<ObjectMeta>({
    name: name ?? '',
    generateName: readString(c, o.generateName, 'metadata.generateName'),
    namespace: rule.namespaced ? namespace : undefined,
    labels,
    annotations,
    uid: readString(c, o.uid, 'metadata.uid'),
    resourceVersion: readString(c, o.resourceVersion, 'metadata.resourceVersion'),
    generation: readInteger(c, o.generation, 'metadata.generation', 0, Number.MAX_SAFE_INTEGER),
    creationTimestamp: readString(c, o.creationTimestamp, 'metadata.creationTimestamp'),
    deletionTimestamp: readString(c, o.deletionTimestamp, 'metadata.deletionTimestamp'),
    deletionGracePeriodSeconds: readInteger(
      c,
      o.deletionGracePeriodSeconds,
      'metadata.deletionGracePeriodSeconds',
      0,
      Number.MAX_SAFE_INTEGER,
    ),
    selfLink: readString(c, o.selfLink, 'metadata.selfLink'),
    finalizers: readStringList(c, o.finalizers, 'metadata.finalizers', Number.POSITIVE_INFINITY),
    ownerReferences: readList(
      c,
      o.ownerReferences,
      'metadata.ownerReferences',
      Number.POSITIVE_INFINITY,
      (v) => v,
    ),
    managedFields: readList(
      c,
      o.managedFields,
      'metadata.managedFields',
      Number.POSITIVE_INFINITY,
      (v) => v,
    ),
  })
}
