/**
 * IP addresses and CIDRs as numbers, parsed once. IPv4 is a plain number (0 … 2³²−1) so the hot
 * path compares doubles; IPv6 is a bigint (rare in practice, correctness over speed).
 */

/** A parsed IPv4 address. */
export interface IPv4 {
  family: 4
  value: number
}

/** A parsed IPv6 address. */
export interface IPv6 {
  family: 6
  value: bigint
}

/** A parsed address of either family. */
export type IP = IPv4 | IPv6

/** A CIDR as the inclusive address interval it covers. */
export type CIDR =
  | { family: 4; lo: number; hi: number; prefix: number }
  | { family: 6; lo: bigint; hi: bigint; prefix: number }

const V4_RE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/

/** Parses an IPv4 address into a number, or undefined. */
function parseV4(text: string): number | undefined {
  const m = V4_RE.exec(text)
  if (!m) return undefined
  let v = 0
  for (let i = 1; i <= 4; i++) {
    const part = m[i] as string
    if (part.length > 1 && part.startsWith('0')) return undefined
    const n = Number(part)
    if (n > 255) return undefined
    v = v * 256 + n
  }
  return v
}

/** Parses an IPv6 address (with `::` and an optional dotted IPv4 tail) into a bigint. */
function parseV6(text: string): bigint | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(text)) return undefined
  let s = text
  let tail: number[] = []
  const lastColon = s.lastIndexOf(':')
  if (s.includes('.', lastColon)) {
    const v4 = parseV4(s.slice(lastColon + 1))
    if (v4 === undefined) return undefined
    tail = [Math.floor(v4 / 65536), v4 % 65536]
    const head = s.slice(0, lastColon + 1)
    s = head.endsWith('::') ? head : head.slice(0, -1)
  }
  const halves = s.split('::')
  if (halves.length > 2) return undefined
  const parse = (h: string): number[] | undefined => {
    if (h === '') return []
    const out: number[] = []
    for (const g of h.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined
      out.push(Number.parseInt(g, 16))
    }
    return out
  }
  const head = parse(halves[0] as string)
  const rest = halves.length === 2 ? parse(halves[1] as string) : []
  if (!head || !rest) return undefined
  const groupsGiven = head.length + rest.length + tail.length
  let groups: number[]
  if (halves.length === 2) {
    if (groupsGiven > 7) return undefined
    groups = [...head, ...new Array<number>(8 - groupsGiven).fill(0), ...rest, ...tail]
  } else {
    if (groupsGiven !== 8) return undefined
    groups = [...head, ...tail]
  }
  let v = 0n
  for (const g of groups) v = (v << 16n) | BigInt(g)
  return v
}

/** Parses an IPv4 or IPv6 address; undefined when it is not one. */
export function parseIP(text: string): IP | undefined {
  const v4 = parseV4(text)
  if (v4 !== undefined) return { family: 4, value: v4 }
  if (text.includes(':')) {
    const v6 = parseV6(text)
    if (v6 !== undefined) return { family: 6, value: v6 }
  }
  return undefined
}

const V6_ALL = (1n << 128n) - 1n

/**
 * Parses a CIDR (`10.0.0.0/8`, `fd00::/64`) or a bare address (a /32 or /128); host bits are
 * masked, as Calico does. Undefined when invalid.
 */
export function parseCIDR(text: string): CIDR | undefined {
  const slash = text.indexOf('/')
  const addr = parseIP(slash < 0 ? text : text.slice(0, slash))
  if (!addr) return undefined
  const bits = addr.family === 4 ? 32 : 128
  let prefix = bits
  if (slash >= 0) {
    const p = text.slice(slash + 1)
    if (!/^\d{1,3}$/.test(p)) return undefined
    prefix = Number(p)
    if (prefix > bits) return undefined
  }
  if (addr.family === 4) {
    const size = 2 ** (32 - prefix)
    const lo = Math.floor(addr.value / size) * size
    return { family: 4, lo, hi: lo + size - 1, prefix }
  }
  const hostMask = prefix === 128 ? 0n : V6_ALL >> BigInt(prefix)
  const lo = addr.value & (V6_ALL ^ hostMask)
  return { family: 6, lo, hi: lo | hostMask, prefix }
}

/** Prints an IPv4 number as dotted quad. */
function printV4(v: number): string {
  return `${Math.floor(v / 16777216) % 256}.${Math.floor(v / 65536) % 256}.${Math.floor(v / 256) % 256}.${v % 256}`
}

/** Prints an IPv6 bigint in the compressed form (longest zero run as `::`). */
function printV6(v: bigint): string {
  const groups: number[] = []
  for (let i = 7; i >= 0; i--) groups.push(Number((v >> BigInt(i * 16)) & 0xffffn))
  let bestStart = -1
  let bestLen = 0
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++
      continue
    }
    let j = i
    while (j < 8 && groups[j] === 0) j++
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i
      bestLen = j - i
    }
    i = j
  }
  const hex = groups.map((g) => g.toString(16))
  if (bestStart < 0) return hex.join(':')
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`
}

/** The canonical text of a CIDR (network address / prefix), as Go's `net.IPNet.String()`. */
export function printCIDR(c: CIDR): string {
  return `${c.family === 4 ? printV4(c.lo) : printV6(c.lo)}/${c.prefix}`
}

/** Whether a CIDR contains an address (families must agree). */
export function cidrContains(c: CIDR, ip: IP): boolean {
  if (c.family !== ip.family) return false
  return c.lo <= ip.value && ip.value <= c.hi
}
