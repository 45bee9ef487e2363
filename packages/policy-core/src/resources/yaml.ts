/**
 * YAML in and out. `parseYamlDocuments` reads multi-document YAML or JSON (and `kind: List`
 * as kubectl prints it) within limits that keep hostile input cheap; `printResources` writes
 * kubectl-apply-ready YAML in Calico's field order.
 */
import { isCollection, LineCounter, parseAllDocuments, stringify, visit } from 'yaml'
import { ErrorCodes, PolicyError, type Result } from '../errors.ts'
import { isPlainObject } from './check.ts'
import { printOrder } from './print-order.ts'
import type { Resource } from './types.ts'

/** Caps on YAML input. */
export interface YamlLimits {
  /** Largest input in bytes (UTF-8); default 8 MiB. */
  maxBytes?: number
  /** Most documents (after expanding `List`s); default 10 000. */
  maxDocuments?: number
  /** Most alias expansions while building values (the `yaml` package's `maxAliasCount`); default 50. */
  maxAliasCount?: number
  /** Most aliases that point at a map or list, per document; default 10. */
  maxCollectionAliases?: number
}

/** The default {@link YamlLimits}. */
export const DEFAULT_YAML_LIMITS: Required<YamlLimits> = {
  maxBytes: 8 * 1024 * 1024,
  maxDocuments: 10_000,
  maxAliasCount: 50,
  maxCollectionAliases: 10,
}

/** One parsed document (or one item of a `List` document). */
export interface RawDocument {
  /** 0-based index of the (non-empty) document in the input. */
  document: number
  /** `items[3]` for an item of a `List` (or `[3]` for an item of a top-level list); absent otherwise. */
  path?: string
  /** The plain value (objects, arrays, strings, numbers, booleans, null). */
  value: unknown
}

function utf8Length(text: string): number {
  let bytes = 0
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code < 0x80) bytes += 1
    else if (code < 0x800) bytes += 2
    else if (code >= 0xd800 && code <= 0xdbff) {
      bytes += 4
      i++
    } else bytes += 3
  }
  return bytes
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1)
}

function isListDocument(value: unknown): value is { kind: string; items: unknown[] } {
  return (
    isPlainObject(value) &&
    typeof value.kind === 'string' &&
    value.kind.endsWith('List') &&
    Array.isArray(value.items)
  )
}

/**
 * Parses multi-document YAML (or JSON) into plain values. Empty documents are skipped; a
 * `kind: List` (or any `*List`) document and a top-level list become one document per item,
 * keeping the index of their document and their `items[i]` path. Refuses input larger than
 * `maxBytes`, more than `maxDocuments`, alias bombs and duplicate keys; syntax errors carry
 * line, column and range.
 */
export function parseYamlDocuments(text: string, limits: YamlLimits = {}): Result<RawDocument[]> {
  const lim = { ...DEFAULT_YAML_LIMITS, ...limits }
  if (
    text.length > lim.maxBytes ||
    (text.length * 3 > lim.maxBytes && utf8Length(text) > lim.maxBytes)
  ) {
    return {
      ok: false,
      errors: [
        new PolicyError(
          ErrorCodes.YAML_LIMIT,
          `expected at most ${lim.maxBytes} bytes of input (maxBytes)`,
        ),
      ],
    }
  }
  const lineCounter = new LineCounter()
  const docs = parseAllDocuments(text, {
    uniqueKeys: true,
    // `<<` merge keys, as kubectl's YAML reader (go-yaml) resolves them.
    merge: true,
    prettyErrors: false,
    strict: true,
    lineCounter,
    // Problems are returned as values; the yaml package would also print warnings.
    logLevel: 'error',
  })
  const errors: PolicyError[] = []
  const out: RawDocument[] = []
  let index = 0
  for (const doc of Array.isArray(docs) ? docs : []) {
    if (doc.errors.length) {
      for (const e of doc.errors) {
        const pos = lineCounter.linePos(e.pos[0])
        const where = ` (line ${pos.line}, column ${pos.col})`
        const message = lowerFirst(e.message.split('\n')[0] ?? e.message)
        errors.push(
          new PolicyError(
            ErrorCodes.YAML_SYNTAX,
            `${message}${where}`,
            { document: index },
            { start: e.pos[0], end: e.pos[1] },
          ),
        )
      }
      index++
      continue
    }
    if (doc.contents === null) continue
    let collectionAliases = 0
    visit(doc, {
      Alias(_, node) {
        if (isCollection(node.resolve(doc))) collectionAliases++
      },
    })
    if (collectionAliases > lim.maxCollectionAliases) {
      errors.push(
        new PolicyError(
          ErrorCodes.YAML_LIMIT,
          `expected at most ${lim.maxCollectionAliases} aliases to maps or lists per document, got ${collectionAliases} (maxCollectionAliases)`,
          { document: index },
        ),
      )
      index++
      continue
    }
    let value: unknown
    try {
      value = doc.toJS({ maxAliasCount: lim.maxAliasCount })
    } catch (err) {
      errors.push(
        new PolicyError(
          ErrorCodes.YAML_LIMIT,
          `expected at most ${lim.maxAliasCount} alias expansions (maxAliasCount): ${lowerFirst(err instanceof Error ? err.message : String(err))}`,
          { document: index },
        ),
      )
      index++
      continue
    }
    // A document of only comments (or an explicit null) holds no resource.
    if (value === null || value === undefined) continue
    if (isListDocument(value)) {
      for (const [i, item] of value.items.entries())
        out.push({ document: index, path: `items[${i}]`, value: item })
    } else if (Array.isArray(value)) {
      for (const [i, item] of value.entries())
        out.push({ document: index, path: `[${i}]`, value: item })
    } else {
      out.push({ document: index, value })
    }
    index++
    if (out.length > lim.maxDocuments) {
      errors.push(
        new PolicyError(
          ErrorCodes.YAML_LIMIT,
          `expected at most ${lim.maxDocuments} documents (maxDocuments)`,
        ),
      )
      break
    }
  }
  return errors.length ? { ok: false, errors } : { ok: true, value: out }
}

/** Printing options. */
export interface PrintOptions {
  /** Keep server-written metadata (uid, resourceVersion, creationTimestamp, …); default false. */
  keepServerFields?: boolean
}

/** One resource as a YAML document (without the `---` separator). */
export function printResource(r: Resource, opts: PrintOptions = {}): string {
  return stringify(printOrder(r, opts.keepServerFields ?? false), {
    lineWidth: 0,
    minContentWidth: 0,
    indentSeq: true,
    aliasDuplicateObjects: false,
  })
}

/**
 * Resources as kubectl-apply-ready multi-document YAML: Calico's key order, server-only
 * metadata dropped unless `keepServerFields`, long strings never folded.
 */
export function printResources(resources: readonly Resource[], opts: PrintOptions = {}): string {
  return resources.map((r) => printResource(r, opts)).join('---\n')
}
