/**
 * A sound, conservative "covers" relation on rules: `covers(a, b)` holds only when every
 * packet rule `b` matches is certainly matched by rule `a`, so a terminal `a` placed before
 * `b` decides all of `b`'s traffic. When in doubt the answer is false.
 */
import { cidrContains, parseCidr } from '../resources/cidr.ts'
import { protocolNumber } from '../resources/ports.ts'
import type { EntityRule, Port, Protocol, Rule } from '../resources/types.ts'
import type { LintPolicy } from './model.ts'
import { scopeEntity } from './scope.ts'

/** JSON with object keys sorted, so equal values print equally. */
export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}

/** Whether `earlier` is absent or equal to `later` (deep, key-order insensitive). */
function absentOrEqual(earlier: unknown, later: unknown): boolean {
  return earlier === undefined || stableStringify(earlier) === stableStringify(later)
}

function sameProtocol(a: Protocol | undefined, b: Protocol | undefined): boolean {
  if (a === undefined) return true
  if (b === undefined) return false
  return protocolNumber(a) === protocolNumber(b)
}

type PortItem = { range: [number, number] } | { name: string }

function parsePortItem(p: Port): PortItem | undefined {
  if (typeof p === 'number') return { range: [p, p] }
  const m = /^([0-9]+)(?::([0-9]+))?$/.exec(p)
  if (m) {
    const lo = Number(m[1])
    const hi = m[2] !== undefined ? Number(m[2]) : lo
    return lo <= hi ? { range: [lo, hi] } : undefined
  }
  return p === '' ? undefined : { name: p }
}

/** Whether the union of `earlier` port entries contains every entry of `later`. */
export function portsCover(
  earlier: readonly Port[] | undefined,
  later: readonly Port[] | undefined,
): boolean {
  if (earlier === undefined || earlier.length === 0) return true
  if (later === undefined || later.length === 0) return false
  const ranges: Array<[number, number]> = []
  const names = new Set<string>()
  for (const p of earlier) {
    const item = parsePortItem(p)
    if (!item) return false
    if ('name' in item) names.add(item.name)
    else ranges.push(item.range)
  }
  ranges.sort((a, b) => a[0] - b[0])
  const merged: Array<[number, number]> = []
  for (const r of ranges) {
    const last = merged[merged.length - 1]
    if (last && r[0] <= last[1] + 1) last[1] = Math.max(last[1], r[1])
    else merged.push([r[0], r[1]])
  }
  for (const p of later) {
    const item = parsePortItem(p)
    if (!item) return false
    if ('name' in item) {
      if (!names.has(item.name)) return false
    } else if (!merged.some(([lo, hi]) => lo <= item.range[0] && item.range[1] <= hi)) {
      return false
    }
  }
  return true
}

/** Whether every CIDR of `later` lies inside some CIDR of `earlier` (absent `earlier`: any address). */
export function netsCover(
  earlier: readonly string[] | undefined,
  later: readonly string[] | undefined,
): boolean {
  if (earlier === undefined || earlier.length === 0) return true
  if (later === undefined || later.length === 0) return false
  const outer = earlier.map(parseCidr)
  for (const text of later) {
    const inner = parseCidr(text)
    if (!inner) return false
    if (!outer.some((o) => o !== undefined && cidrContains(o, inner))) return false
  }
  return true
}

function sameSet(
  earlier: readonly (string | number)[] | undefined,
  later: readonly (string | number)[] | undefined,
): boolean {
  if (earlier === undefined || earlier.length === 0) return true
  if (later === undefined) return false
  const norm = (xs: readonly (string | number)[]) => [...new Set(xs.map(String))].sort().join('\n')
  return norm(earlier) === norm(later)
}

function entityCovers(
  pe: LintPolicy,
  e: EntityRule | undefined,
  pl: LintPolicy,
  l: EntityRule | undefined,
): boolean {
  const earlier = e ?? {}
  const later = l ?? {}
  if (!absentOrEqual(earlier.services, later.services)) return false
  const se = scopeEntity(pe, e)
  const sl = scopeEntity(pl, l)
  if (!se.valid || !sl.valid) return false
  if (se.positiveText !== undefined && se.positiveText !== sl.positiveText) return false
  if (se.negativeText !== undefined && se.negativeText !== sl.negativeText) return false
  if (!netsCover(earlier.nets, later.nets)) return false
  if (!sameSet(earlier.notNets, later.notNets)) return false
  if (!portsCover(earlier.ports, later.ports)) return false
  if (!sameSet(earlier.notPorts, later.notPorts)) return false
  return true
}

/** Whether a rule action ends evaluation of its policy (Allow, Deny, Pass; not Log). */
export function isTerminal(rule: Rule): boolean {
  return rule.action === 'Allow' || rule.action === 'Deny' || rule.action === 'Pass'
}

/**
 * Whether rule `earlier` (in policy `pe`) matches every packet rule `later` (in policy `pl`)
 * matches, both of the same direction. Each criterion of `earlier` must be absent or a
 * superset of `later`'s: protocol equal, ports by range containment, nets by CIDR
 * containment, scoped selectors equal in canonical form, `not*` fields equal.
 */
export function ruleCovers(pe: LintPolicy, earlier: Rule, pl: LintPolicy, later: Rule): boolean {
  if (earlier.ipVersion !== undefined && earlier.ipVersion !== later.ipVersion) return false
  if (!sameProtocol(earlier.protocol, later.protocol)) return false
  if (earlier.notProtocol !== undefined) {
    if (later.notProtocol === undefined) return false
    if (protocolNumber(earlier.notProtocol) !== protocolNumber(later.notProtocol)) return false
  }
  if (!absentOrEqual(earlier.icmp, later.icmp)) return false
  if (!absentOrEqual(earlier.notICMP, later.notICMP)) return false
  if (!absentOrEqual(earlier.http, later.http)) return false
  return (
    entityCovers(pe, earlier.source, pl, later.source) &&
    entityCovers(pe, earlier.destination, pl, later.destination)
  )
}
