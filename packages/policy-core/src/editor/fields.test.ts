import { describe, expect, it } from 'vitest'
import { formatFieldPath, getField, parseFieldPath, setField } from './fields.ts'

describe('field paths', () => {
  it.each([
    ['spec.ingress[2].source.selector', ['spec', 'ingress', 2, 'source', 'selector']],
    ["metadata.labels['app.kubernetes.io/name']", ['metadata', 'labels', 'app.kubernetes.io/name']],
    ['spec', ['spec']],
    ['', []],
  ])('%s ↔ segments', (text, segments) => {
    expect(parseFieldPath(text)).toEqual(segments)
    expect(formatFieldPath(segments)).toBe(text)
  })

  it('accepts double-quoted keys', () => {
    expect(parseFieldPath('labels["a.b"].x')).toEqual(['labels', 'a.b', 'x'])
  })
})

describe('getField / setField', () => {
  const policy = {
    metadata: { name: 'p' },
    spec: { ingress: [{ action: 'Allow', source: { selector: 'a == "b"' } }] },
  }

  it('reads a nested value or undefined', () => {
    expect(getField(policy, 'spec.ingress[0].source.selector')).toBe('a == "b"')
    expect(getField(policy, 'spec.egress[0].action')).toBeUndefined()
    expect(getField(policy, 'metadata.name.length')).toBeUndefined()
  })

  it('sets without mutating, copying only the path', () => {
    const next = setField(policy, 'spec.ingress[0].action', 'Deny')
    expect(next.spec.ingress[0]?.action).toBe('Deny')
    expect(policy.spec.ingress[0]?.action).toBe('Allow')
    expect(next.metadata).toBe(policy.metadata)
    expect(next.spec.ingress[0]?.source).toBe(policy.spec.ingress[0]?.source)
  })

  it('creates missing objects and lists on the way', () => {
    const next = setField(policy, 'spec.ingress[0].destination.ports[0]', 443)
    expect(next.spec.ingress[0]).toEqual({
      action: 'Allow',
      source: { selector: 'a == "b"' },
      destination: { ports: [443] },
    })
    expect(setField({}, 'metadata.labels["app.kubernetes.io/name"]', 'web')).toEqual({
      metadata: { labels: { 'app.kubernetes.io/name': 'web' } },
    })
  })

  it('removes a field with undefined and prunes containers left empty', () => {
    const next = setField(policy, 'spec.ingress[0].source.selector', undefined)
    expect(next.spec.ingress[0]).toEqual({ action: 'Allow' })
    const withPort = setField(policy, 'spec.ingress[0].destination.ports', [80])
    expect(
      setField(withPort, 'spec.ingress[0].destination.ports[0]', undefined).spec.ingress[0],
    ).toEqual(policy.spec.ingress[0])
  })

  it('keeps a rule left empty and the top-level sections', () => {
    const k8s = { spec: { ingress: [{ ports: [{ port: 80 }] }] } }
    expect(setField(k8s, 'spec.ingress[0].ports', undefined)).toEqual({ spec: { ingress: [{}] } })
    expect(setField({ spec: { order: 1 } }, 'spec.order', undefined)).toEqual({ spec: {} })
  })

  it('refuses a path past the end of a list or through a scalar', () => {
    expect(() => setField(policy, 'spec.ingress[5].action', 'Deny')).toThrow(RangeError)
    expect(() => setField(policy, 'metadata.name.first', 'x')).toThrow(RangeError)
  })
})
