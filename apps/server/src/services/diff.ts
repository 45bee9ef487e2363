import type { FieldChange } from '@policyboard/api'

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`
  return path ? `${path}.${key}` : key
}

/**
 * Field-level differences between two JSON values, as leaf paths in Calico's notation
 * (`spec.ingress[0].action`). Objects are compared key by key and arrays index by index;
 * a value present on one side only has `before` or `after` absent.
 */
export function fieldDiff(before: unknown, after: unknown, path = ''): FieldChange[] {
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()
    return keys.flatMap((k) => fieldDiff(before[k], after[k], join(path, k)))
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const n = Math.max(before.length, after.length)
    const out: FieldChange[] = []
    for (let i = 0; i < n; i++) out.push(...fieldDiff(before[i], after[i], join(path, i)))
    return out
  }
  if (before === undefined && after === undefined) return []
  if (JSON.stringify(before) === JSON.stringify(after)) return []
  if (before === undefined && (isObject(after) || Array.isArray(after)))
    return fieldDiff(Array.isArray(after) ? [] : {}, after, path)
  if (after === undefined && (isObject(before) || Array.isArray(before)))
    return fieldDiff(before, Array.isArray(before) ? [] : {}, path)
  return [
    {
      path,
      ...(before === undefined ? {} : { before }),
      ...(after === undefined ? {} : { after }),
    },
  ]
}
