import { formatFieldPath, type PathSegment } from './fields.ts'

/** One field that differs between two values: its path and both sides (absent = unset). */
export interface FieldDiff {
  /** Field path, as validation errors write it (`spec.ingress[0].action`). */
  path: string
  /** The value before, `undefined` when the field was unset. */
  before?: unknown
  /** The value after, `undefined` when the field is unset. */
  after?: unknown
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
}

/**
 * The leaf fields that differ between two JSON values, in document order. Objects are
 * compared key by key; lists item by item (a list of different length reports the items
 * past the shorter one as added or removed); anything else by value.
 *
 * @example diffFields({spec:{order:1}}, {spec:{order:2}}) // [{path:'spec.order', before:1, after:2}]
 */
export function diffFields(before: unknown, after: unknown): FieldDiff[] {
  const out: FieldDiff[] = []
  const walk = (a: unknown, b: unknown, path: PathSegment[]): void => {
    if (isObject(a) && isObject(b)) {
      const keys = [...Object.keys(a), ...Object.keys(b).filter((k) => !(k in a))]
      for (const k of keys) walk(a[k], b[k], [...path, k])
      return
    }
    if (Array.isArray(a) && Array.isArray(b)) {
      for (let i = 0; i < Math.max(a.length, b.length); i++) walk(a[i], b[i], [...path, i])
      return
    }
    if (JSON.stringify(a) === JSON.stringify(b)) return
    const d: FieldDiff = { path: formatFieldPath(path) }
    if (a !== undefined) d.before = a
    if (b !== undefined) d.after = b
    out.push(d)
  }
  walk(before, after, [])
  return out
}
