export type { Scenario, ScenarioFlow } from './read.ts'
export { endpointRef, readScenario, validateScenario } from './read.ts'
export type { SimulateOptions, SimulationResult } from './simulate.ts'
export { simulateScenario } from './simulate.ts'
