/**
 * IP addresses and CIDRs as Calico accepts them in `nets`/`notNets`, `expectedIPs` and
 * Kubernetes `ipBlock`s: IPv4 dotted quads and IPv6 (with `::` and an embedded IPv4 tail),
 * optionally with a prefix length. A bare address means a full-length prefix.
 */

/** A parsed address or CIDR. */
export interface ParsedCidr {
  /** 4 or 6. */
  family: 4 | 6
  /** The address bytes (4 or 16), as written (host bits are not masked). */
  bytes: number[]
  /** Prefix length; 32 or 128 for a bare address. */
  prefix: number
  /** Whether the text had an explicit `/prefix`. */
  hasPrefix: boolean
}

/** Parses an IPv4 dotted quad (no leading zeros, as Go's parser) into 4 bytes. */
export function parseIPv4(text: string): number[] | undefined {
  const parts = text.split('.')
  if (parts.length !== 4) return undefined
  const out: number[] = []
  for (const p of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p)) return undefined
    const n = Number(p)
    if (n > 255) return undefined
    out.push(n)
  }
  return out
}

function parseHexGroups(text: string): number[] | undefined {
  if (text === '') return []
  const out: number[] = []
  for (const g of text.split(':')) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined
    const n = Number.parseInt(g, 16)
    out.push(n >> 8, n & 0xff)
  }
  return out
}

/** Parses an IPv6 address (with `::` compression and an optional IPv4 tail) into 16 bytes. */
export function parseIPv6(text: string): number[] | undefined {
  if (!text.includes(':')) return undefined
  let body = text
  let tail: number[] = []
  const lastColon = body.lastIndexOf(':')
  const last = body.slice(lastColon + 1)
  if (last.includes('.')) {
    const v4 = parseIPv4(last)
    if (!v4) return undefined
    tail = v4
    body = `${body.slice(0, lastColon + 1)}`
    // Keep `::` intact and drop a single trailing colon left by the split.
    if (body.endsWith(':') && !body.endsWith('::')) body = body.slice(0, -1)
  }
  const halves = body.split('::')
  if (halves.length > 2) return undefined
  if (halves.length === 1) {
    const groups = parseHexGroups(body)
    if (!groups || groups.length + tail.length !== 16) return undefined
    return [...groups, ...tail]
  }
  const head = parseHexGroups(halves[0] ?? '')
  const rest = parseHexGroups(halves[1] ?? '')
  if (!head || !rest) return undefined
  const missing = 16 - head.length - rest.length - tail.length
  if (missing < 2) return undefined
  return [...head, ...new Array<number>(missing).fill(0), ...rest, ...tail]
}

/** Parses an IP address of either family. */
export function parseIP(text: string): { family: 4 | 6; bytes: number[] } | undefined {
  const v4 = parseIPv4(text)
  if (v4) return { family: 4, bytes: v4 }
  const v6 = parseIPv6(text)
  if (v6) return { family: 6, bytes: v6 }
  return undefined
}

/** Parses `addr` or `addr/prefix`; undefined when it is neither. */
export function parseCidr(text: string): ParsedCidr | undefined {
  const slash = text.indexOf('/')
  const addr = slash < 0 ? text : text.slice(0, slash)
  const ip = parseIP(addr)
  if (!ip) return undefined
  const max = ip.family === 4 ? 32 : 128
  if (slash < 0) return { ...ip, prefix: max, hasPrefix: false }
  const p = text.slice(slash + 1)
  if (!/^(0|[1-9][0-9]{0,2})$/.test(p)) return undefined
  const prefix = Number(p)
  if (prefix > max) return undefined
  return { ...ip, prefix, hasPrefix: true }
}

/** Whether `inner` lies inside `outer` (same family, longer-or-equal prefix, same leading bits). */
export function cidrContains(outer: ParsedCidr, inner: ParsedCidr): boolean {
  if (outer.family !== inner.family || inner.prefix < outer.prefix) return false
  for (let bit = 0; bit < outer.prefix; bit++) {
    const byte = bit >> 3
    const mask = 0x80 >> (bit & 7)
    if (((outer.bytes[byte] ?? 0) & mask) !== ((inner.bytes[byte] ?? 0) & mask)) return false
  }
  return true
}
