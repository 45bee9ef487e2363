import { describe, expect, it } from 'vitest'
import { checkImport, errorWhere, joinFiles } from './import-model.ts'

const tier = `apiVersion: projectcalico.org/v3
kind: Tier
metadata:
  name: security
spec:
  order: 100
`

describe('joinFiles', () => {
  it('separates files with document markers and drops leading markers', () => {
    expect(
      joinFiles([
        { name: 'a.yaml', text: `---\n${tier}` },
        { name: 'b.yaml', text: '\n' },
        { name: 'c.yaml', text: tier },
      ]),
    ).toBe(`${tier.trimEnd()}\n---\n${tier}`)
  })
})

describe('checkImport', () => {
  it('accepts valid resources', () => {
    const r = checkImport(tier)
    expect(r.state).toBe('valid')
    if (r.state === 'valid') expect(r.summary).toEqual(['Tier security'])
  })
  it('reports the document and field of an error', () => {
    const bad = `${tier}---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata:
  name: x
spec:
  ingress:
    - action: Allwo
`
    const r = checkImport(bad)
    expect(r.state).toBe('invalid')
    if (r.state === 'invalid') {
      const where = r.errors.map(errorWhere)
      expect(
        where.some((w) => w.startsWith('document 2') && w.includes('spec.ingress[0].action')),
      ).toBe(true)
    }
  })
  it('treats blank input as empty', () => {
    expect(checkImport('  \n').state).toBe('empty')
  })
})
