import { isCollection, isNode, isScalar, type Node, parseDocument } from 'yaml'
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

/** Where a field is written: the range of its value node, and its value when it is a one-line scalar. */
interface FieldNode {
  range: SourceRange
  /** Offset of the scalar's first character of content (after an opening quote); absent for collections and block scalars. */
  contentStart?: number
  /** Offset just past the scalar's content (before a closing quote). */
  contentEnd?: number
}

function findFieldNode(text: string, path: string): FieldNode | undefined {
  const doc = parseDocument(text)
  let best: Node | undefined = isNode(doc.contents) ? doc.contents : undefined
  for (const seg of parseFieldPath(path)) {
    if (!isCollection(best)) break
    const next: unknown = best.get(seg, true)
    if (!isNode(next)) break
    best = next
  }
  const range = best?.range
  if (!best || !range) return undefined
  const out: FieldNode = { range: { start: range[0], end: Math.max(range[1], range[0] + 1) } }
  if (isScalar(best)) {
    if (best.type === 'PLAIN') {
      out.contentStart = range[0]
      out.contentEnd = range[1]
    } else if (best.type === 'QUOTE_DOUBLE' || best.type === 'QUOTE_SINGLE') {
      out.contentStart = range[0] + 1
      out.contentEnd = Math.max(range[0] + 1, range[1] - 1)
    }
  }
  return out
}

/**
 * Where a field is written in YAML text: the range of its value, or of the nearest
 * ancestor that is written (a missing field is reported on the map that should hold it).
 * Undefined when the text does not parse or the path leads nowhere at all.
 */
export function yamlFieldRange(text: string, path: string): SourceRange | undefined {
  return findFieldNode(text, path)?.range
}

function placeError(text: string, error: PolicyError): YamlDiagnostic {
  // YAML errors carry ranges in the text itself; others (selectors) carry ranges in their
  // field's value, which are moved into the text when that value is written on one line.
  if (error.range && (error.code === 'YAML_SYNTAX' || error.code === 'YAML_LIMIT'))
    return { error, range: error.range }
  const at = error.path ? findFieldNode(text, error.path) : undefined
  if (at) {
    if (error.range && at.contentStart !== undefined && at.contentEnd !== undefined) {
      // An error at the end of the value (a missing token) underlines its last character.
      const last = Math.max(at.contentStart, at.contentEnd - 1)
      const start = Math.min(at.contentStart + error.range.start, last)
      const end = Math.min(Math.max(at.contentStart + error.range.end, start + 1), at.contentEnd)
      return { error, range: { start, end: Math.max(end, start + 1) } }
    }
    return { error, range: at.range }
  }
  if (error.range) return { error, range: error.range }
  const firstLine = text.indexOf('\n')
  return { error, range: { start: 0, end: firstLine < 0 ? text.length : firstLine } }
}
