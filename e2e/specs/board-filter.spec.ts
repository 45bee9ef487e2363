import { expect, test } from '../fixtures.ts'

interface Applied {
  kind: string
  namespace?: string
  name: string
  tier: string
}
interface DirectionPolicies {
  ingress: Array<{ policies: Applied[] }>
  egress: Array<{ policies: Applied[] }>
}

test.describe('board endpoint filter', () => {
  test('"selects endpoint" keeps the cards the server says apply to it', async ({
    board,
    page,
    request,
  }) => {
    const inventory = (await (await request.get('/api/v1/inventory')).json()) as {
      endpoints: Array<{ name: string; namespace?: string; kind?: string }>
    }
    const ep = inventory.endpoints.find((e) => e.kind !== 'host' && e.namespace)
    if (!ep?.namespace) throw new Error('the demo inventory has no workload endpoint')
    const res = await request.get(`/api/v1/endpoints/${ep.namespace}/${ep.name}/policies`)
    expect(res.status(), await res.text()).toBe(200)
    const answer = (await res.json()) as { enforced: DirectionPolicies; staged: DirectionPolicies }
    const expected = new Set<string>()
    for (const view of [answer.enforced, answer.staged]) {
      for (const t of [...view.ingress, ...view.egress]) {
        for (const p of t.policies) expected.add(p.name.replace(`${p.tier}.`, ''))
      }
    }
    expect(expected.size).toBeGreaterThan(0)

    await board.goto(`?endpoint=${encodeURIComponent(`${ep.namespace}/${ep.name}`)}`)
    const cards = page.getByTestId('tier-board.card')
    await expect(cards).toHaveCount(expected.size)
    const shown = await cards.evaluateAll((els) =>
      els.map((e) => (e as HTMLElement).dataset.name ?? ''),
    )
    expect(new Set(shown)).toEqual(expected)
  })
})
