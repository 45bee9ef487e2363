import type { Page } from '@playwright/test'
import { expect, test } from '../fixtures.ts'

interface Peer {
  type: string
  namespace: string
  name: string
}
interface Tuple {
  source: Peer
  destination: Peer
  proto: string
  port: number | null
  count: number
  enforced: string
  staged: string
}

/** The graph node id of a peer, as the graph model names it (names are already aggregated). */
function nodeId(p: Peer): string {
  if (p.type === 'wep') return `wep/${p.namespace}/${p.name}`
  if (p.type === 'ns') return `ns/${p.namespace}/${p.name}`
  if (p.type === 'hep') return `hep/${p.name}`
  return `net/${p.name}`
}

function edge(page: Page, id: string) {
  return page.locator(`[data-testid="rf__edge-${id.replaceAll('"', '\\"')}"]`)
}

test.describe('service graph', () => {
  test('renders namespace groups and explains an edge with its deciding policy', async ({
    page,
    request,
  }, testInfo) => {
    const verdicts = (await (await request.get('/api/v1/verdicts?limit=20000')).json()) as {
      items: Tuple[]
    }
    await page.goto('/graph')
    await expect(page.getByTestId('service-graph.group').first()).toBeVisible()
    expect(await page.getByTestId('service-graph.group').count()).toBeGreaterThan(1)
    await expect(page.getByTestId('service-graph.legend')).toContainText('Allowed')
    await page.screenshot({ path: testInfo.outputPath('graph.png') })

    // An allowed flow between two workloads: the UI's trace names the policy the evaluator gives.
    const t = verdicts.items.find(
      (x) =>
        x.source.type === 'wep' &&
        x.destination.type === 'wep' &&
        x.enforced === 'Allow' &&
        x.source.namespace === x.destination.namespace,
    )
    expect(t, 'the demo has an allowed workload-to-workload flow').toBeDefined()
    if (!t) return
    const record = {
      start_time: 0,
      end_time: 0,
      host: '-',
      action: 'allow',
      reporter: 'dst',
      source_port: null,
      source_type: t.source.type,
      source_namespace: t.source.namespace,
      source_name: '-',
      source_name_aggr: t.source.name,
      source_ip: null,
      dest_type: t.destination.type,
      dest_namespace: t.destination.namespace,
      dest_name: '-',
      dest_name_aggr: t.destination.name,
      dest_ip: null,
      proto: t.proto,
      dest_port: t.port,
      num_flows: t.count,
    }
    const explained = await (await request.post('/api/v1/explain', { data: { record } })).json()
    const decided = explained.enforced.egress?.decidedBy ?? explained.enforced.ingress?.decidedBy
    const id = `${nodeId(t.source)}->${nodeId(t.destination)}`
    await edge(page, id).dispatchEvent('click')
    const panel = page.getByTestId('service-graph.edge-panel')
    await expect(panel).toBeVisible()
    await expect(panel).toContainText(t.source.name)
    // Pick the tuple's own port in the edge's list, then read its trace.
    await panel
      .getByTestId('service-graph.edge-flow')
      .filter({ hasText: t.port === null ? t.proto : `${t.proto}/${t.port}` })
      .first()
      .click()
    const trace = panel.getByTestId('service-graph.trace')
    await expect(trace.getByTestId('trace.verdict').first()).toHaveText('Allow')
    if (decided?.policy?.name) {
      const naming = trace.getByTestId('trace.decided-by').filter({ hasText: decided.policy.name })
      await expect(naming.first()).toBeVisible()
    }
    await page.screenshot({ path: testInfo.outputPath('graph-edge.png') })

    // A node: its labels and the policies applying to it, per direction.
    await page.getByRole('button', { name: 'Close details' }).click()
    await page.locator(`[data-node-id="${nodeId(t.destination)}"]`).click()
    const nodePanel = page.getByTestId('service-graph.node-panel')
    await expect(nodePanel.getByTestId('service-graph.policies')).toContainText('Ingress')
    await expect(nodePanel.getByTestId('service-graph.labels')).toBeVisible()
    await page.screenshot({ path: testInfo.outputPath('graph-node.png') })

    // Hide unrelated keeps the node and its peers, and goes into the URL.
    await nodePanel.getByTestId('service-graph.hide-unrelated').click()
    await expect(page).toHaveURL(/focus=/)
    await expect(page.getByTestId('service-graph.breadcrumbs')).toContainText(t.destination.name)
  })

  test('the staged toggle shows what the staged default deny would block', async ({
    page,
    request,
  }, testInfo) => {
    const verdicts = (await (await request.get('/api/v1/verdicts?limit=20000')).json()) as {
      items: Tuple[]
      summary: { allowedToDenied: number }
    }
    expect(verdicts.summary.allowedToDenied).toBeGreaterThan(0)
    const blocked = verdicts.items.find((x) => x.enforced === 'Allow' && x.staged === 'Deny')
    expect(blocked).toBeDefined()

    await page.goto('/graph')
    await expect(
      page.getByTestId('service-graph.canvas').locator('.react-flow__edge').first(),
    ).toBeVisible()
    await expect(page.locator('.react-flow__edge.verdict-would-deny')).toHaveCount(0)
    await page.getByTestId('service-graph.view-staged').click()
    await expect(page).toHaveURL(/view=staged/)
    await expect(page.locator('.react-flow__edge.verdict-would-deny').first()).toBeVisible()
    await expect(page.getByTestId('service-graph.legend')).toContainText('Would be denied')
    await page.screenshot({ path: testInfo.outputPath('graph-staged.png') })

    // Only the flows that would be denied, from the URL.
    await page.goto('/graph?view=staged&verdict=would-deny')
    await expect(page.locator('.react-flow__edge.verdict-would-deny').first()).toBeVisible()
    await expect(page.locator('.react-flow__edge.verdict-allowed')).toHaveCount(0)
    await page.screenshot({ path: testInfo.outputPath('graph-would-deny.png') })
  })
})
