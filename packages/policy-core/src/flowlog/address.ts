import type { GlobalNetworkSet, NetworkSet } from '../resources/types.ts'

/** An address as a number of its family: 32 bits for IPv4, 128 for IPv6. */
interface ParsedAddress {
  family: 4 | 6
  value: bigint
}

function parseIPv4(s: string): bigint | undefined {
  const parts = s.split('.')
  if (parts.length !== 4) return undefined
  let value = 0n
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined
    const n = Number(p)
    if (n > 255) return undefined
    value = (value << 8n) | BigInt(n)
  }
  return value
}

function parseIPv6(s: string): bigint | undefined {
  let text = s
  const zone = text.indexOf('%')
  if (zone >= 0) text = text.slice(0, zone)
  // An embedded IPv4 tail (`::ffff:10.0.0.1`) is the last two groups.
  const lastColon = text.lastIndexOf(':')
  const tail = text.slice(lastColon + 1)
  if (tail.includes('.')) {
    const v4 = parseIPv4(tail)
    if (v4 === undefined) return undefined
    text = `${text.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`
  }
  const halves = text.split('::')
  if (halves.length > 2) return undefined
  const head = halves[0] ? halves[0].split(':') : []
  const rest = halves.length === 2 && halves[1] ? halves[1].split(':') : []
  let groups: string[]
  if (halves.length === 2) {
    const missing = 8 - head.length - rest.length
    if (missing < 1) return undefined
    groups = [...head, ...Array<string>(missing).fill('0'), ...rest]
  } else groups = head
  if (groups.length !== 8) return undefined
  let value = 0n
  for (const g of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined
    value = (value << 16n) | BigInt(Number.parseInt(g, 16))
  }
  return value
}

/** Parses an IPv4 or IPv6 address; undefined when it is neither. */
function parseAddress(s: string): ParsedAddress | undefined {
  if (s.includes(':')) {
    const value = parseIPv6(s)
    return value === undefined ? undefined : { family: 6, value }
  }
  const value = parseIPv4(s)
  return value === undefined ? undefined : { family: 4, value }
}

/** A CIDR (or bare address, as a full-length prefix) with its host bits masked. */
interface ParsedCidr extends ParsedAddress {
  prefix: number
}

function parseCidr(s: string): ParsedCidr | undefined {
  const slash = s.indexOf('/')
  const addr = parseAddress(slash >= 0 ? s.slice(0, slash) : s)
  if (!addr) return undefined
  const bits = addr.family === 4 ? 32 : 128
  let prefix = bits
  if (slash >= 0) {
    const text = s.slice(slash + 1)
    if (!/^\d{1,3}$/.test(text) || Number(text) > bits) return undefined
    prefix = Number(text)
  }
  return { ...addr, prefix, value: mask(addr.value, prefix, bits) }
}

function mask(value: bigint, prefix: number, bits: number): bigint {
  const hostBits = BigInt(bits - prefix)
  return (value >> hostBits) << hostBits
}

function contains(cidr: ParsedCidr, addr: ParsedAddress): boolean {
  if (cidr.family !== addr.family) return false
  return mask(addr.value, cidr.prefix, cidr.family === 4 ? 32 : 128) === cidr.value
}

const PRIVATE_V4: readonly ParsedCidr[] = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'].map(
  (c) => parseCidr(c) as ParsedCidr,
)

/**
 * Whether an address no endpoint or network set owns is private (`pvt`: RFC 1918 IPv4) or
 * public (`pub`: everything else, including every IPv6 address, as Calico classifies them).
 * Text that is not an address is `pub`.
 *
 * @example classifyAddress('10.1.2.3') // 'pvt'
 * @example classifyAddress('fd00::1') // 'pub'
 */
export function classifyAddress(ip: string): 'pvt' | 'pub' {
  const addr = parseAddress(ip)
  if (addr?.family !== 4) return 'pub'
  return PRIVATE_V4.some((c) => contains(c, addr)) ? 'pvt' : 'pub'
}

/** Whether the text is an IPv4 or IPv6 address. */
export function isIPAddress(s: string): boolean {
  return parseAddress(s) !== undefined
}

/** The network set an address falls in, with the CIDR that matched. */
export interface NetworkSetMatch<S> {
  /** The set with the longest matching prefix. */
  set: S
  /** The set's CIDR that matched, as written. */
  cidr: string
  /** That CIDR's prefix length. */
  prefixLength: number
}

/**
 * The NetworkSet or GlobalNetworkSet whose CIDR contains the address with the longest prefix,
 * as Calico picks the set a flow log names for an address no endpoint owns. Equal prefixes
 * are broken by `namespace/name` so the answer does not depend on input order. Unparsable
 * CIDRs are skipped.
 *
 * @returns the match, or undefined when no set contains the address.
 */
export function longestPrefixNetworkSet<S extends NetworkSet | GlobalNetworkSet>(
  ip: string,
  sets: readonly S[],
): NetworkSetMatch<S> | undefined {
  const addr = parseAddress(ip)
  if (!addr) return undefined
  let best: NetworkSetMatch<S> | undefined
  let bestKey = ''
  for (const set of sets) {
    const key = `${set.metadata.namespace ?? ''}/${set.metadata.name}`
    for (const text of set.spec.nets ?? []) {
      const cidr = parseCidr(text)
      if (!cidr || !contains(cidr, addr)) continue
      const better =
        !best ||
        cidr.prefix > best.prefixLength ||
        (cidr.prefix === best.prefixLength && key < bestKey)
      if (better) {
        best = { set, cidr: text, prefixLength: cidr.prefix }
        bestKey = key
      }
    }
  }
  return best
}
