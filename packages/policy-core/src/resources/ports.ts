/**
 * Protocols and ports as Calico's `numorstring` types accept them. A protocol is a
 * case-sensitive name or a number 1–255 (a numeric string is stored as a number); a port
 * is a number, a `"min:max"` range or a named port.
 */
import type { Port, Protocol } from './types.ts'

/** Protocol names Calico knows, with their numbers. Names are case-sensitive (`tcp` is invalid). */
export const PROTOCOL_NUMBERS: Readonly<Record<string, number>> = {
  TCP: 6,
  UDP: 17,
  ICMP: 1,
  ICMPv6: 58,
  SCTP: 132,
  UDPLite: 136,
}

/** A parse result: the normalised value, or what was expected. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string }

/** Parses a protocol: a known name, an integer 1–255, or a numeric string (stored as a number). */
export function parseProtocol(value: unknown): Parsed<Protocol> {
  if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= 1 && value <= 255) return { ok: true, value }
    return { ok: false, message: `expected a protocol number from 1 to 255, got ${value}` }
  }
  if (typeof value === 'string') {
    if (Object.hasOwn(PROTOCOL_NUMBERS, value)) return { ok: true, value }
    if (/^[0-9]+$/.test(value)) return parseProtocol(Number(value))
    return {
      ok: false,
      message: `expected TCP, UDP, ICMP, ICMPv6, SCTP, UDPLite (case-sensitive) or a number from 1 to 255, got '${value}'`,
    }
  }
  return { ok: false, message: 'expected a protocol name or number' }
}

/** The protocol number of a valid protocol. */
export function protocolNumber(p: Protocol): number {
  return typeof p === 'number' ? p : (PROTOCOL_NUMBERS[p] ?? Number.NaN)
}

/** Whether rules with this protocol may name ports (TCP, UDP, SCTP). */
export function protocolSupportsPorts(p: Protocol): boolean {
  const n = protocolNumber(p)
  return n === 6 || n === 17 || n === 132
}

/**
 * Whether `name` is a valid Kubernetes port name (IANA service name): at most 15
 * characters, lowercase alphanumerics and `-`, at least one letter, no leading, trailing or
 * doubled `-`.
 */
export function isValidPortName(name: string): boolean {
  return (
    name.length >= 1 &&
    name.length <= 15 &&
    /^[a-z0-9-]+$/.test(name) &&
    /[a-z]/.test(name) &&
    !name.startsWith('-') &&
    !name.endsWith('-') &&
    !name.includes('--')
  )
}

function portNumber(text: string): number | undefined {
  if (!/^[0-9]{1,5}$/.test(text)) return undefined
  const n = Number(text)
  return n >= 1 && n <= 65535 ? n : undefined
}

/**
 * Parses a Calico port: a number 1–65535, a numeric string (stored as a number), a range
 * `"min:max"` with 1 ≤ min ≤ max ≤ 65535 (a one-port range is stored as its number), or a
 * named port that is a valid Kubernetes port name.
 */
export function parsePort(value: unknown): Parsed<Port> {
  if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= 1 && value <= 65535) return { ok: true, value }
    return { ok: false, message: `expected a port from 1 to 65535, got ${value}` }
  }
  if (typeof value !== 'string') {
    return { ok: false, message: 'expected a port number, a "min:max" range or a port name' }
  }
  if (/^[0-9]+$/.test(value)) return parsePort(Number(value))
  const range = /^([0-9]+):([0-9]+)$/.exec(value)
  if (range) {
    const min = portNumber(range[1] ?? '')
    const max = portNumber(range[2] ?? '')
    if (min === undefined || max === undefined) {
      return {
        ok: false,
        message: `expected a port range with both ends from 1 to 65535, got '${value}'`,
      }
    }
    if (min > max) {
      return { ok: false, message: `expected a port range with min <= max, got '${value}'` }
    }
    return { ok: true, value: min === max ? min : `${min}:${max}` }
  }
  if (isValidPortName(value)) return { ok: true, value }
  return {
    ok: false,
    message: `expected a port number, a "min:max" range or a port name (at most 15 lowercase letters, digits and '-', with a letter), got '${value}'`,
  }
}

/** Whether a valid port is numeric (a number or a range) rather than named. */
export function isNumericPort(p: Port): boolean {
  return typeof p === 'number' || /^[0-9]+:[0-9]+$/.test(p)
}
