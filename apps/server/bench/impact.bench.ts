/**
 * Impact preview over a 1,000,000-record window: the demo cluster's policies and inventory in
 * a fresh SQLite store, a million demo flow-log records over 24 hours, then the whole staged
 * set and one staged policy previewed (first request compiles and warms the caches).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FlowLogRecord } from '@policyboard/policy-core'
import { demoCluster, iterateDemoFlows } from '../src/demo/index.ts'
import { ImpactService } from '../src/routes/api/v1/impact/impact-service.ts'
import { BoardService } from '../src/services/board.ts'
import { FlowStore } from '../src/store/flows.ts'
import { openStore } from '../src/store/index.ts'

const RECORDS = Number(process.env.IMPACT_BENCH_RECORDS ?? 1_000_000)

const dir = mkdtempSync(join(tmpdir(), 'policyboard-impact-bench-'))
const store = await openStore({ dataDir: dir })
try {
  const cluster = demoCluster()
  await store.write('bench', async (w) => {
    const tiers = cluster.resources.filter((r) => r.kind === 'Tier')
    for (const r of [...tiers, ...cluster.resources.filter((r) => r.kind !== 'Tier')])
      await w.put(r)
  })
  await store.replaceInventory('bench', {
    namespaces: cluster.namespaces,
    serviceAccounts: cluster.serviceAccounts,
    endpoints: cluster.endpoints,
  })
  const flows = new FlowStore(store.db)
  const now = Date.now()
  let t = performance.now()
  let batch: FlowLogRecord[] = []
  for (const r of iterateDemoFlows({ now, hours: 24, count: RECORDS, seed: 7 }, cluster)) {
    batch.push(r)
    if (batch.length === 20_000) {
      await flows.insert(batch)
      batch = []
    }
  }
  await flows.insert(batch)
  console.log(
    `impact: ingested ${RECORDS} demo records in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  )

  const service = new ImpactService(store, flows, new BoardService(store, flows))
  const nowSec = Math.floor(now / 1000) + 1
  const staged = cluster.resources.find((r) => r.kind.startsWith('Staged'))
  const changes = [
    { label: 'staged-all (cold)', change: { type: 'staged-all' as const } },
    { label: 'staged-all (warm)', change: { type: 'staged-all' as const } },
    ...(staged
      ? [
          {
            label: `staged ${staged.metadata.name}`,
            change: {
              type: 'staged' as const,
              kind: staged.kind,
              ...(staged.metadata.namespace ? { namespace: staged.metadata.namespace } : {}),
              name: staged.metadata.name,
            },
          },
        ]
      : []),
  ]
  for (const { label, change } of changes) {
    t = performance.now()
    const r = await service.impact({ change, window: '24h' }, nowSec)
    const ms = performance.now() - t
    console.log(
      `impact: ${label}: ${r.totals.flows} flows in ${r.tuples} tuples, ${r.evaluations} evaluations, ` +
        `${r.totals.allowedToDenied} allowed→denied, ${r.totals.deniedToAllowed} denied→allowed, ` +
        `${r.totals.uncertain} uncertain — ${ms.toFixed(0)} ms`,
    )
  }
} finally {
  await store.db.close()
  rmSync(dir, { recursive: true, force: true })
}
