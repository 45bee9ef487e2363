import { demoCluster, generateDemoFlows } from '../demo/index.ts'
import type { FlowStore } from '../store/flows.ts'
import type { Store } from '../store/index.ts'
import { applyResources, readResources } from './apply.ts'
import { INGEST_BATCH_SIZE } from './ingest.ts'

/** Records of generated demo traffic (24 hours). */
export const DEMO_FLOW_COUNT = 20_000

/** Why seeding did or did not happen. */
export type SeedOutcome = 'seeded' | 'already-decided' | 'user-data'

/**
 * Loads the demo cluster (resources, inventory, 24 h of flows) into an empty store, once.
 * The decision is recorded in `pb_meta` first (`seeded`), so concurrent replicas seed at most
 * once and a store that ever held user data is never seeded.
 */
export async function seedDemo(
  store: Store,
  flows: FlowStore,
  now: number = Date.now(),
): Promise<SeedOutcome> {
  if ((await store.getMeta('seeded')) !== undefined) return 'already-decided'
  const empty = (await store.isEmpty()) && (await flows.isEmpty())
  const claimed = await store.claimMeta(
    'seeded',
    JSON.stringify({ demo: empty, at: new Date(now).toISOString() }),
  )
  if (!claimed) return 'already-decided'
  if (!empty) return 'user-data'
  const cluster = demoCluster()
  await applyResources(store, readResources(cluster.yaml), 'demo', false)
  await store.replaceInventory('demo', {
    namespaces: cluster.namespaces,
    serviceAccounts: cluster.serviceAccounts,
    endpoints: cluster.endpoints,
  })
  const records = generateDemoFlows({ now, hours: 24, count: DEMO_FLOW_COUNT, seed: 1 }, cluster)
  for (let i = 0; i < records.length; i += INGEST_BATCH_SIZE) {
    await flows.insert(records.slice(i, i + INGEST_BATCH_SIZE))
  }
  return 'seeded'
}
