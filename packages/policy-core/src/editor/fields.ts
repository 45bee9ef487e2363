/**
 * Reading and writing one field of a resource by its path, without mutating it. Paths are
 * the ones errors carry (`spec.ingress[2].source.selector`), so a form field and the
 * validation errors about it share one name.
 */

/** One step of a field path: an object key or an array index. */
export type PathSegment = string | number

/** A field path: text like `spec.ingress[0].action`, or its segments. */
export type FieldPath = string | readonly PathSegment[]

/**
 * The segments of a field path: `spec.ingress[0].source` → `['spec', 'ingress', 0, 'source']`.
 * Keys that are not plain words are bracketed, as validation errors write them:
 * `metadata.labels['app.kubernetes.io/name']` (double quotes are accepted too).
 */
export function parseFieldPath(path: FieldPath): PathSegment[] {
  if (typeof path !== 'string') return [...path]
  const out: PathSegment[] = []
  const re = /\[(\d+)\]|\["([^"]*)"\]|\['([^']*)'\]|([^.[\]]+)/g
  for (const m of path.matchAll(re)) {
    if (m[1] !== undefined) out.push(Number(m[1]))
    else out.push((m[2] ?? m[3] ?? m[4]) as string)
  }
  return out
}

/** The text form of a field path, as validation errors write it: `['spec', 'ingress', 0]` → `spec.ingress[0]`. */
export function formatFieldPath(path: readonly PathSegment[]): string {
  let out = ''
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`
    else if (/^[A-Za-z0-9_-]+$/.test(seg)) out += out ? `.${seg}` : seg
    else out += `['${seg}']`
  }
  return out
}

/** The value at a path, or `undefined` when any step is missing. */
export function getField(value: unknown, path: FieldPath): unknown {
  let cur: unknown = value
  for (const seg of parseFieldPath(path)) {
    if (cur === null || typeof cur !== 'object') return undefined
    cur = (cur as Record<PathSegment, unknown>)[seg]
  }
  return cur
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

/**
 * A copy of `root` with the field at `path` set to `value`; only the objects along the path
 * are copied. Missing objects and arrays on the way are created (an array when the next
 * step is an index). `undefined` removes the field (or list item), and then removes the
 * objects and lists left empty by that removal (an empty `source`, `icmp`, `ports` …);
 * top-level sections (`metadata`, `spec`) stay.
 *
 * @throws RangeError for an index past the end of an array (appending at `length` is fine)
 *   or a step through a value that is neither an object nor an array: a bug in the caller.
 */
export function setField<T>(root: T, path: FieldPath, value: unknown): T {
  const segments = parseFieldPath(path)
  if (segments.length === 0) return value as T
  return setAt(root, segments, 0, value) as T
}

function setAt(node: unknown, segments: PathSegment[], i: number, value: unknown): unknown {
  const seg = segments[i] as PathSegment
  const last = i === segments.length - 1
  if (typeof seg === 'number') {
    const arr = node === undefined ? [] : node
    if (!Array.isArray(arr))
      throw new RangeError(`expected a list at ${formatFieldPath(segments.slice(0, i))}`)
    if (seg > arr.length)
      throw new RangeError(
        `index ${seg} is past the end of ${formatFieldPath(segments.slice(0, i))}`,
      )
    const copy = [...arr]
    if (last) {
      if (value === undefined) copy.splice(seg, 1)
      else copy[seg] = value
      return copy
    }
    copy[seg] = setAt(copy[seg], segments, i + 1, value)
    return copy
  }
  const obj = node === undefined ? {} : node
  if (!isPlainObject(obj))
    throw new RangeError(`expected an object at ${formatFieldPath(segments.slice(0, i))}`)
  const copy: Record<string, unknown> = { ...obj }
  if (last) {
    if (value === undefined) delete copy[seg]
    else copy[seg] = value
    return copy
  }
  const child = setAt(copy[seg], segments, i + 1, value)
  // Removing a field may leave its container empty (`source: {}`, `ports: []`); drop the
  // container too, but never a top-level section (`metadata`, `spec`).
  if (value === undefined && i > 0 && isEmpty(child)) delete copy[seg]
  else copy[seg] = child
  return copy
}

function isEmpty(value: unknown): boolean {
  if (Array.isArray(value)) return value.length === 0
  return isPlainObject(value) && Object.keys(value).length === 0
}
