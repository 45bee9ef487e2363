import { createPolicy, type PolicyResource, printPolicyYaml } from '@policyboard/policy-core'
import { describe, expect, it } from 'vitest'
import { editorReducer, errorsUnder, initEditorState } from './editor-state.ts'

const base = createPolicy('NetworkPolicy', { name: 'web', namespace: 'shop' })

describe('editorReducer', () => {
  it('reprints the YAML on a form edit', () => {
    const s0 = initEditorState(base)
    const edited = { ...base, spec: { ...base.spec, order: 10 } } as PolicyResource
    const s1 = editorReducer(s0, { type: 'edit', policy: edited })
    expect(s1.policy).toBe(edited)
    expect(s1.yaml).toContain('order: 10')
    expect(s1.dirty).toBe(true)
  })

  it('takes valid YAML as the new policy, keeping the text as typed', () => {
    const s0 = initEditorState(base)
    const text = printPolicyYaml(base).replace('name: web', 'name: api')
    const s1 = editorReducer(s0, { type: 'yaml', text })
    expect(s1.policy.metadata.name).toBe('api')
    expect(s1.yaml).toBe(text)
    expect(s1.yamlDiagnostics).toEqual([])
  })

  it('keeps the last valid policy while the YAML is invalid, and says where', () => {
    const s0 = initEditorState(base)
    const text = printPolicyYaml(base).replace('selector: all()', 'selector: app ==')
    const s1 = editorReducer(s0, { type: 'yaml', text })
    expect(s1.policy).toBe(base)
    expect(s1.yaml).toBe(text)
    const d = s1.yamlDiagnostics.find((x) => x.error.path === 'spec.selector')
    expect(d).toBeDefined()
    const at = text.indexOf('app ==')
    expect(d?.range.start).toBeGreaterThanOrEqual(at)
    expect(d?.range.end).toBeLessThanOrEqual(at + 'app =='.length)
    // Leaving the pane does not throw the user's text away while it is invalid.
    expect(editorReducer(s1, { type: 'yamlBlur' }).yaml).toBe(text)
  })

  it('reprints valid YAML canonically when the pane loses focus', () => {
    const s0 = initEditorState(base)
    const text = `${printPolicyYaml(base)}\n\n# a comment\n`
    const s1 = editorReducer(s0, { type: 'yaml', text })
    expect(editorReducer(s1, { type: 'yamlBlur' }).yaml).toBe(printPolicyYaml(base))
  })

  it('reports validation errors of the form model by field path', () => {
    const s = initEditorState(createPolicy('GlobalNetworkPolicy', { name: '' }))
    expect(s.errors.some((e) => e.path === 'metadata.name')).toBe(true)
    const bad = editorReducer(s, {
      type: 'edit',
      policy: {
        ...base,
        spec: { ingress: [{ action: 'Allow', protocol: 'tcp' }] },
      } as PolicyResource,
    })
    expect(errorsUnder(bad.errors, 'spec.ingress[0]').length).toBeGreaterThan(0)
  })
})
