import type { SqlClient } from '../src/store/index.ts'

/** Totals of the flow store, counted two ways: from the records and from the counters. */
export interface FlowTotals {
  /** Stored records. */
  records: number
  /** Flows (records weighted by `num_flows`, at least 1) recounted from the records. */
  flows: number
  /** Hit-counter total recounted from the records' hit strings (weighted like flows). */
  hits: number
  /** The same three, as the counters hold them. */
  counters: { records: number; flows: number; hits: number }
}

/**
 * Recounts the stored records and reads the counters fed at ingest, so that a test can check
 * that no partial transaction is visible: the counters equal the recount exactly.
 */
export async function flowTotals(db: SqlClient): Promise<FlowTotals> {
  let records = 0
  let flows = 0
  let hits = 0
  let after = 0
  for (;;) {
    const rows = await db.all<{ id: number; record: string }>(
      'SELECT id, record FROM pb_flowlogs WHERE id > ? ORDER BY id LIMIT 20000',
      [after],
    )
    if (rows.length === 0) break
    for (const row of rows) {
      const r = JSON.parse(row.record) as {
        num_flows: number
        policies?: { enforced_policies?: string[]; pending_policies?: string[] } | null
      }
      const weight = r.num_flows > 0 ? r.num_flows : 1
      records++
      flows += weight
      hits +=
        weight *
        ((r.policies?.enforced_policies?.length ?? 0) + (r.policies?.pending_policies?.length ?? 0))
      after = Number(row.id)
    }
  }
  const t = await db.get<{ flows: number | null; records: number | null }>(
    'SELECT SUM(flows) AS flows, SUM(records) AS records FROM pb_flow_tuples',
  )
  const h = await db.get<{ hits: number | null }>('SELECT SUM(count) AS hits FROM pb_policy_hits')
  return {
    records,
    flows,
    hits,
    counters: {
      records: Number(t?.records ?? 0),
      flows: Number(t?.flows ?? 0),
      hits: Number(h?.hits ?? 0),
    },
  }
}
