/** "Can X reach Y?": the form's text to an explain request. */
import type { ExplainRequest, ExplainSide } from '@policyboard/api'

/** A side typed by the user: an address, else an inventory endpoint (`ns/name` or host name). */
export function sideOf(text: string): ExplainSide | undefined {
  const t = text.trim()
  if (!t) return undefined
  return /^[0-9.]+$/.test(t) || t.includes(':') ? { ip: t } : { endpoint: t }
}

/** The request for the form, or undefined while a field is missing or the port is not a number. */
export function reachRequest(form: {
  source: string
  destination: string
  protocol: string
  port: string
}): ExplainRequest | undefined {
  const source = sideOf(form.source)
  const destination = sideOf(form.destination)
  if (!source || !destination || !form.protocol) return undefined
  const port = form.port.trim() === '' ? undefined : Number(form.port)
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) return undefined
  return { source, destination, protocol: form.protocol, ...(port !== undefined ? { port } : {}) }
}
