// The demo cluster and its flow logs: pure data generators for seeding a store, benchmarks
// and the CLI's `policyboard demo`.
export type { DemoCluster, DemoService } from './cluster.ts'
export { demoCluster, METRICS_PORT, STOREFRONT } from './cluster.ts'
export type { Conversation, ConversationKind, DemoFlowOptions } from './flows.ts'
export { demoConversations, EXPORT_INTERVAL, generateDemoFlows, iterateDemoFlows } from './flows.ts'
export type { Prng } from './prng.ts'
export { createPrng } from './prng.ts'
export type { DemoJudge, DemoVerdict, ReporterVerdict } from './verdicts.ts'
export { createDemoJudge } from './verdicts.ts'
