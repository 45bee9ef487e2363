import { describe, expect, it } from 'vitest'
import { createPolicy, POLICY_RESOURCE_KINDS } from './policy.ts'
import { addRule } from './rules.ts'
import { parsePolicyYaml, printPolicyYaml, yamlFieldRange } from './yaml.ts'

describe('policy YAML', () => {
  it.each(POLICY_RESOURCE_KINDS)('prints and reads back an %s unchanged', (kind) => {
    const p = addRule(createPolicy(kind, { name: 'p', namespace: 'n' }), 'ingress')
    const yaml = printPolicyYaml(p)
    expect(parsePolicyYaml(yaml)).toEqual({ ok: true, policy: p })
  })

  it('keeps the document as written, without defaults', () => {
    const r = parsePolicyYaml(
      'apiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata:\n  name: g\nspec:\n  selector: all()\n',
    )
    expect(r).toEqual({
      ok: true,
      policy: {
        apiVersion: 'projectcalico.org/v3',
        kind: 'GlobalNetworkPolicy',
        metadata: { name: 'g' },
        spec: { selector: 'all()' },
      },
    })
  })

  it('places a validation error on the field it names', () => {
    const text = [
      'apiVersion: projectcalico.org/v3',
      'kind: NetworkPolicy',
      'metadata:',
      '  name: p',
      '  namespace: n',
      'spec:',
      '  ingress:',
      '    - action: Maybe',
      '',
    ].join('\n')
    const r = parsePolicyYaml(text)
    expect(r.ok).toBe(false)
    if (r.ok) return
    const d = r.diagnostics.find((x) => x.error.path === 'spec.ingress[0].action')
    expect(d).toBeDefined()
    expect(text.slice(d?.range.start, d?.range.end)).toBe('Maybe')
  })

  it('places a selector error inside the selector value', () => {
    const base = printPolicyYaml(createPolicy('NetworkPolicy', { name: 'p', namespace: 'n' }))
    for (const [written, bad] of [
      ['selector: app == "web" && (', '('],
      ['selector: \'app == "web" && (\'', '('],
    ]) {
      const text = base.replace('selector: all()', written as string)
      const r = parsePolicyYaml(text)
      expect(r.ok).toBe(false)
      if (r.ok) continue
      const d = r.diagnostics.find((x) => x.error.path === 'spec.selector')
      expect(text.slice(d?.range.start, d?.range.end)).toBe(bad)
    }
  })

  it('places a YAML syntax error where the parser found it', () => {
    const r = parsePolicyYaml('kind: NetworkPolicy\nmetadata: {name: [\n')
    expect(r.ok).toBe(false)
    if (!r.ok) {
      expect(r.diagnostics[0]?.error.code).toBe('YAML_SYNTAX')
      expect(r.diagnostics[0]?.range.start).toBeGreaterThan(0)
    }
  })

  it('refuses several documents and non-policy kinds', () => {
    const two = `${printPolicyYaml(createPolicy('GlobalNetworkPolicy', { name: 'a' }))}---\n${printPolicyYaml(createPolicy('GlobalNetworkPolicy', { name: 'b' }))}`
    expect(parsePolicyYaml(two).ok).toBe(false)
    const tier = parsePolicyYaml(
      'apiVersion: projectcalico.org/v3\nkind: Tier\nmetadata:\n  name: t\nspec: {}\n',
    )
    expect(tier.ok).toBe(false)
    if (!tier.ok) expect(tier.diagnostics[0]?.error.message).toContain('policy kind')
  })

  it('finds the range of a field, or of its nearest written ancestor', () => {
    const text =
      'metadata:\n  name: p\n  labels:\n    app.kubernetes.io/name: web\nspec:\n  order: 10\n'
    const at = (p: string) => {
      const r = yamlFieldRange(text, p)
      return r && text.slice(r.start, r.end)
    }
    expect(at('metadata.name')).toBe('p')
    expect(at("metadata.labels['app.kubernetes.io/name']")).toBe('web')
    expect(at('spec.order')).toBe('10')
    expect(at('spec.tier')?.trim()).toBe('order: 10')
  })
})
