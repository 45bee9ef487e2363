import { printResources, recommendPolicies } from '@policyboard/policy-core'
import { demoCluster, generateDemoFlows } from '/work/main/apps/server/src/demo/index.ts'

const c = demoCluster()
const flows = generateDemoFlows({ now: 1_780_000_000_000, hours: 2, count: 3000, seed: 7 }, c)
for (const ns of ['storefront', 'tenant-b', 'monitoring']) {
  const r = recommendPolicies({
    resources: c.resources,
    inventory: c,
    flows,
    namespace: ns,
    now: 1_780_000_000_000,
    perWorkload: process.argv[2] === 'w',
  })
  console.log('=====', ns, r.states, r.tier)
  console.log(printResources(r.policies))
  console.log(
    JSON.stringify(
      r.evidence.map((e) => [
        e.policy,
        e.direction,
        e.ruleIndex,
        e.scope,
        e.peer,
        e.count,
        e.flows.length,
      ]),
    ),
  )
  console.log(
    JSON.stringify(
      r.excluded.map((e) => [
        e.reason,
        e.key.sourceWorkload,
        e.key.destinationWorkload,
        e.key.port,
        e.count,
        e.decidedBy,
      ]),
    ).slice(0, 3000),
  )
}
