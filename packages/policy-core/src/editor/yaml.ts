import { isNode, type Node, parseDocument } from 'yaml'
import { ErrorCodes, PolicyError, type SourceRange } from '../errors.ts'
import { validateResource } from '../resources/validate.ts'
import { parseYamlDocuments, printResource } from '../resources/yaml.ts'
import { parseFieldPath } from './fields.ts'
import { isPolicyResource, type PolicyResource } from './policy.ts'

/** A problem of the editor's YAML text, placed in that text. */
export interface YamlDiagnostic {
  /** The error (its `path` is the field path, when the problem is a field's). */
  error: PolicyError
  /** Characters of the YAML text to underline (`end` exclusive); the whole first line when unknown. */
  range: SourceRange
}

/** The editor's reading of its YAML text. */
export type PolicyYamlResult =
  | {
      ok: true
      /** The policy as written (validated, but without the defaults validation would add). */
      policy: PolicyResource
    }
  | {
      ok: false
      /** Every problem, placed in the text. */
      diagnostics: YamlDiagnostic[]
    }

/** The YAML the editor shows for a policy: kubectl-apply-ready, Calico's field order, no server fields. */
export function printPolicyYaml(policy: PolicyResource): string {
  return printResource(policy)
}

/**
 * Reads the editor's YAML text back into a policy: exactly one document, of a policy kind,
 * that validates. The policy returned is the document as written, not the defaulted one
 * validation yields, so the YAML the user typed and the form agree field for field. On
 * failure every problem comes with the range of the text it is about.
 */
export function parsePolicyYaml(text: string): PolicyYamlResult {
  const parsed = parseYamlDocuments(text)
  if (!parsed.ok)
    return { ok: false, diagnostics: parsed.errors.map((error) => placeError(text, error)) }
  const docs = parsed.value
  if (docs.length !== 1 || docs[0]?.path !== undefined) {
    const error = new PolicyError(
      ErrorCodes.INVALID_VALUE,
      `expected exactly one policy document, found ${docs.length === 1 ? 'a list' : docs.length}`,
    )
    return { ok: false, diagnostics: [placeError(text, error)] }
  }
  const raw = (docs[0] as { value: unknown }).value
  const validated = validateResource(raw)
  if (!validated.ok)
    return { ok: false, diagnostics: validated.errors.map((error) => placeError(text, error)) }
  if (!isPolicyResource(validated.value)) {
    const error = new PolicyError(
      ErrorCodes.UNKNOWN_KIND,
      `expected a policy kind, found ${validated.value.kind}`,
      { field: 'kind' },
    )
    return { ok: false, diagnostics: [placeError(text, error)] }
  }
  return { ok: true, policy: raw as PolicyResource }
}

/**
 * Where a field is written in YAML text: the range of its value, or of the nearest
 * ancestor that is written (a missing field is reported on the map that should hold it).
 * Undefined when the text does not parse or the path leads nowhere at all.
 */
export function yamlFieldRange(text: string, path: string): SourceRange | undefined {
  const doc = parseDocument(text, { keepSourceTokens: false })
  let node: unknown = doc.contents
  let best: Node | undefined = isNode(node) ? node : undefined
  for (const seg of parseFieldPath(path)) {
    if (!isNode(node) || !('get' in node) || typeof node.get !== 'function') break
    const next: unknown = (node as { get(k: unknown, keep: true): unknown }).get(seg, true)
    if (!isNode(next)) {
      // A scalar inside a collection is still a node when fetched with keepScalar.
      break
    }
    node = next
    best = next
  }
  const range = best?.range
  return range ? { start: range[0], end: Math.max(range[1], range[0] + 1) } : undefined
}

function placeError(text: string, error: PolicyError): YamlDiagnostic {
  if (error.range) return { error, range: error.range }
  const at = error.path ? yamlFieldRange(text, error.path) : undefined
  if (at) return { error, range: at }
  const firstLine = text.indexOf('\n')
  return { error, range: { start: 0, end: firstLine < 0 ? text.length : firstLine } }
}
