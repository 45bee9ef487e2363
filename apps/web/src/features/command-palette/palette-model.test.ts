import { describe, expect, it } from 'vitest'
import { sampleBoard } from '../../test/fixtures.ts'
import { matchScore, paletteItems, rankItems } from './palette-model.ts'

describe('paletteItems', () => {
  it('lists actions, tiers, policies with their URLs, and namespaces', () => {
    const items = paletteItems(sampleBoard())
    const byId = new Map(items.map((i) => [i.id, i]))
    expect(byId.get('policy:NetworkPolicy/shop/allow-dns')?.href).toBe(
      '/policies/NetworkPolicy/shop/allow-dns',
    )
    expect(byId.get('policy:GlobalNetworkPolicy//deny-egress')?.href).toBe(
      '/policies/GlobalNetworkPolicy/deny-egress',
    )
    expect(byId.get('tier:security')?.href).toBe('/tiers/security')
    expect(byId.get('ns:shop')?.href).toBe('/board?ns=shop')
    expect(byId.get('action:new-tier')?.href).toBe('/board?dialog=new-tier')
  })
})

describe('rankItems', () => {
  it.each([
    ['deny', 'deny-egress'],
    ['egress', 'deny-egress'],
    ['dns', 'allow-dns'],
    ['shop', 'shop'],
    ['hist', 'Change history'],
    ['alldns', 'allow-dns'],
  ])('%s ranks %s first', (query, label) => {
    expect(rankItems(paletteItems(sampleBoard()), query)[0]?.label).toBe(label)
  })
  it('scores prefix > word start > substring > letters in order > nothing', () => {
    const scores = ['deny-egress', 'allow-deny', 'undeny', 'd-e-n-y', 'web'].map((l) =>
      matchScore(l, 'deny'),
    )
    expect(scores[0]).toBeGreaterThan(scores[1] as number)
    expect(scores[1]).toBeGreaterThan(scores[2] as number)
    expect(scores[2]).toBeGreaterThan(scores[3] as number)
    expect(scores[4]).toBe(0)
  })
})
