/** Import input handling, free of React: joining dropped files, validating in the browser. */
import {
  loadResources,
  type PolicyError,
  type Resource,
  resourceRef,
} from '@policyboard/policy-core'

/** A file the user dropped or picked. */
export interface ImportFile {
  name: string
  text: string
}

/** Joins files into one multi-document YAML stream, each file starting a new document. */
export function joinFiles(files: readonly ImportFile[]): string {
  return files
    .map((f) => f.text.replace(/^\s*---\s*\n/, '').replace(/\s+$/, ''))
    .filter((t) => t.length > 0)
    .join('\n---\n')
    .concat('\n')
}

/** The outcome of validating import text in the browser. */
export type ImportCheck =
  | { state: 'empty' }
  | { state: 'valid'; resources: Resource[]; summary: string[] }
  | { state: 'invalid'; errors: PolicyError[] }

/** Parses and validates YAML with policy-core, as the server will. */
export function checkImport(text: string): ImportCheck {
  if (!text.trim()) return { state: 'empty' }
  const r = loadResources(text)
  if (!r.ok) return { state: 'invalid', errors: r.errors }
  if (r.value.length === 0) return { state: 'empty' }
  return { state: 'valid', resources: r.value, summary: r.value.map((x) => resourceRef(x)) }
}

/** `document 2 · NetworkPolicy shop/web · spec.ingress[0].action`: where an error sits. */
export function errorWhere(e: PolicyError): string {
  const parts: string[] = []
  if (e.location.document !== undefined) parts.push(`document ${e.location.document + 1}`)
  if (e.location.resource) parts.push(e.location.resource)
  if (e.location.field) parts.push(e.location.field)
  return parts.join(' · ')
}
