/** Judging a scenario: the Output of spec/scenario.md. */
import { compilePolicySet } from '../evaluator/compile.ts'
import { evaluateFlows } from '../evaluator/evaluate.ts'
import type { FlowResult } from '../evaluator/types.ts'
import type { Scenario } from './read.ts'

/** The result of `simulateScenario`: one entry per flow, in input order. */
export interface SimulationResult {
  flows: FlowResult[]
}

/** Options of `simulateScenario`. */
export interface SimulateOptions {
  /** Also compute Calico's flow-log pending view per flow. */
  pending?: boolean
}

/**
 * Judges every flow of a validated scenario in the enforced and staged views. The flows'
 * `expect` fields are not consulted.
 */
export function simulateScenario(s: Scenario, opts: SimulateOptions = {}): SimulationResult {
  const model = compilePolicySet({
    resources: s.resources,
    namespaces: s.namespaces,
    serviceAccounts: s.serviceAccounts,
    endpoints: s.endpoints,
  })
  const flows = s.flows.map(({ expect: _e, expectStaged: _s, ...flow }) => flow)
  return { flows: evaluateFlows(model, flows, opts) }
}
