import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { Resource } from './types.ts'
import { loadResources, validateResources } from './validate.ts'
import { parseYamlDocuments, printResource, printResources } from './yaml.ts'

function fixture(name: string): string {
  return readFileSync(
    fileURLToPath(new URL(`../testing/fixtures/${name}`, import.meta.url)),
    'utf8',
  )
}

function load(text: string): Resource[] {
  const r = loadResources(text)
  if (!r.ok) throw new Error(r.errors.map(String).join('\n'))
  return r.value
}

describe('parseYamlDocuments', () => {
  it('reads multiple documents and skips empty ones', () => {
    const r = parseYamlDocuments('---\na: 1\n---\n# only a comment\n---\nb: 2\n---\n')
    expect(r).toEqual({
      ok: true,
      value: [
        { document: 0, value: { a: 1 } },
        { document: 1, value: { b: 2 } },
      ],
    })
  })

  it('reads JSON', () => {
    const r = parseYamlDocuments(
      '{"apiVersion": "projectcalico.org/v3", "kind": "Tier", "metadata": {"name": "a"}}',
    )
    expect(r.ok && r.value[0]?.value).toEqual({
      apiVersion: 'projectcalico.org/v3',
      kind: 'Tier',
      metadata: { name: 'a' },
    })
  })

  it('expands kind: List (and *List) items, as kubectl get -o yaml prints them', () => {
    const text = `apiVersion: v1
items:
- apiVersion: projectcalico.org/v3
  kind: GlobalNetworkPolicy
  metadata:
    creationTimestamp: "2026-11-01T10:00:00Z"
    name: deny-all
    resourceVersion: "1234"
    uid: 0b7c2a3e-1111-2222-3333-444455556666
  spec:
    selector: all()
    tier: default
    types:
    - Ingress
- apiVersion: projectcalico.org/v3
  kind: Tier
  metadata:
    name: security
  spec:
    order: 100
kind: List
metadata:
  resourceVersion: ""
---
apiVersion: projectcalico.org/v3
kind: TierList
items: []
`
    const r = parseYamlDocuments(text)
    expect(r.ok).toBe(true)
    if (!r.ok) return
    expect(r.value.map((d) => [d.document, d.path])).toEqual([
      [0, 'items[0]'],
      [0, 'items[1]'],
    ])
    const resources = load(text)
    expect(resources.map((x) => x.metadata.name)).toEqual(['deny-all', 'security'])
    expect(resources[0]?.metadata.resourceVersion).toBe('1234')
  })

  it('reports syntax errors with line, column and range', () => {
    const r = parseYamlDocuments('a: 1\n---\nb: [1, 2\nc: 3\n')
    expect(r.ok).toBe(false)
    if (r.ok) return
    const e = r.errors[0]
    expect(e?.code).toBe('YAML_SYNTAX')
    expect(e?.location.document).toBe(1)
    expect(e?.message).toMatch(/line \d+, column \d+/)
    expect(e?.range).toBeDefined()
  })

  it('refuses duplicate keys', () => {
    const r = parseYamlDocuments('metadata:\n  name: a\n  name: b\n')
    expect(r.ok).toBe(false)
    if (!r.ok) {
      expect(r.errors[0]?.code).toBe('YAML_SYNTAX')
      expect(r.errors[0]?.message).toMatch(/unique/)
    }
  })

  it('refuses an alias bomb (billion laughs)', () => {
    const bomb = [
      'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
      'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
      'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
      'f: [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
    ].join('\n')
    const r = parseYamlDocuments(bomb)
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.errors[0]?.code).toBe('YAML_LIMIT')
  })

  it('counts scalar alias expansions against maxAliasCount', () => {
    const text = `a: &x v\nb: [${Array.from({ length: 60 }, () => '*x').join(', ')}]\n`
    const refused = parseYamlDocuments(text)
    expect(refused.ok).toBe(false)
    if (!refused.ok) expect(refused.errors[0]?.message).toMatch(/maxAliasCount/)
    expect(parseYamlDocuments(text, { maxAliasCount: 100 }).ok).toBe(true)
  })

  it('allows a few aliases to collections', () => {
    const r = parseYamlDocuments('base: &b {app: web}\none: *b\ntwo: *b\n')
    expect(r.ok && r.value[0]?.value).toEqual({
      base: { app: 'web' },
      one: { app: 'web' },
      two: { app: 'web' },
    })
  })

  it('refuses oversized input (default 8 MiB, configurable)', () => {
    const big = `a: "${'x'.repeat(8 * 1024 * 1024)}"\n`
    const r = parseYamlDocuments(big)
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.errors[0]?.message).toMatch(/maxBytes/)
    expect(parseYamlDocuments('a: "ééé"', { maxBytes: 8 }).ok).toBe(false)
    expect(parseYamlDocuments('a: "ééé"', { maxBytes: 11 }).ok).toBe(true)
  })

  it('refuses too many documents, List items included', () => {
    const many = Array.from({ length: 5 }, (_, i) => `a: ${i}`).join('\n---\n')
    expect(parseYamlDocuments(many, { maxDocuments: 4 }).ok).toBe(false)
    expect(parseYamlDocuments(many, { maxDocuments: 5 }).ok).toBe(true)
    expect(parseYamlDocuments('kind: List\nitems: [1, 2, 3]\n', { maxDocuments: 2 }).ok).toBe(false)
  })
})

describe('printResources', () => {
  it('prints in Calico field order and drops server fields', () => {
    const [r] = load(`apiVersion: projectcalico.org/v3
kind: NetworkPolicy
spec:
  types: [Ingress]
  ingress:
    - destination: {ports: [80], notNets: [10.0.0.0/8], selector: "a == 'b'"}
      protocol: TCP
      action: Allow
  selector: app == "web"
  order: 10
  tier: default
metadata:
  uid: abc
  resourceVersion: "9"
  creationTimestamp: "2026-01-01T00:00:00Z"
  generation: 3
  managedFields: [{manager: kubectl}]
  labels: {a: b}
  namespace: shop
  name: web
`)
    if (!r) throw new Error('no resource')
    expect(printResource(r)).toBe(`apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata:
  name: web
  namespace: shop
  labels:
    a: b
spec:
  tier: default
  order: 10
  selector: app == "web"
  ingress:
    - action: Allow
      protocol: TCP
      destination:
        selector: a == 'b'
        ports:
          - 80
        notNets:
          - 10.0.0.0/8
  types:
    - Ingress
`)
    const kept = printResource(r, { keepServerFields: true })
    expect(kept).toContain('uid: abc')
    expect(kept).toContain('resourceVersion: "9"')
    expect(kept).toContain('managedFields:')
  })

  it('never folds long strings and quotes selectors safely', () => {
    const long = Array.from({ length: 40 }, (_, i) => `label-${i} == 'value-${i}'`).join(' && ')
    const selectors = [
      "!has(a) && b == 'x'",
      'a == "x" || b == \'y\'',
      'a == "-"',
      'a == "#"',
      "a == ': '",
      'a in {"1"}',
      '',
      long,
    ]
    const raws = selectors.map((selector, i) => ({
      apiVersion: 'projectcalico.org/v3',
      kind: 'GlobalNetworkPolicy',
      metadata: { name: `p${i}` },
      spec: { selector },
    }))
    const resources = validateResources(raws)
    if (!resources.ok) throw new Error(resources.errors.map(String).join('\n'))
    const text = printResources(resources.value)
    expect(text.split('\n').some((line) => line.includes(long))).toBe(true)
    expect(load(text)).toEqual(resources.value)
  })

  it('round-trips every resource of the conformance scenarios', () => {
    const resources = load(fixture('resources-conformance.yaml'))
    expect(resources.length).toBeGreaterThan(15)
    expect(load(printResources(resources))).toEqual(resources)
  })

  it('round-trips the examples of every kind', () => {
    const resources = load(fixture('resources-examples.yaml'))
    expect(new Set(resources.map((r) => `${r.apiVersion}/${r.kind}`)).size).toBe(10)
    const printed = printResources(resources)
    expect(load(printed)).toEqual(resources)
    // Printing is stable: printing the re-parsed resources gives the same text.
    expect(printResources(load(printed))).toBe(printed)
  })
})
