import type {
  KubernetesNetworkPolicy,
  PolicyNaming,
  StagedKubernetesNetworkPolicy,
} from '@policyboard/policy-core'
import { convertKubernetesPolicy, loadResources, printResources } from '@policyboard/policy-core'
import { type Command, println, readInput } from '../io.ts'

export const command: Command = {
  summary: 'print the Calico policy each Kubernetes NetworkPolicy becomes',
  usage: `policyboard convert FILE [--naming legacy|v3.32] [-o yaml|json]

Converts every Kubernetes NetworkPolicy (and StagedKubernetesNetworkPolicy) in FILE as Calico
does: tier default, order 1000, ports grouped by protocol and merged into ranges. --naming
legacy (default) names them knp.default.<name>; v3.32 keeps the name. -o json prints a JSON
array. Rules Calico would drop are reported on stderr.`,
  async run(argv, io) {
    let naming: PolicyNaming = 'legacy'
    let output: 'yaml' | 'json' = 'yaml'
    const files: string[] = []
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i] as string
      if (a === '--naming') {
        const v = argv[++i]
        if (v !== 'legacy' && v !== 'v3.32') {
          io.stderr('policyboard convert: expected --naming legacy or --naming v3.32\n')
          return 2
        }
        naming = v
      } else if (a === '-o' || a === '--output') {
        const v = argv[++i]
        if (v !== 'yaml' && v !== 'json') {
          io.stderr('policyboard convert: expected -o yaml or -o json\n')
          return 2
        }
        output = v
      } else files.push(a)
    }
    if (files.length !== 1) {
      io.stderr(`policyboard convert: expected one file\n\n${this.usage}\n`)
      return 2
    }
    const file = files[0] as string
    const loaded = loadResources(readInput(file, io))
    if (!loaded.ok) {
      for (const e of loaded.errors) io.stderr(`policyboard: ${file}: ${e.toString()}\n`)
      return 1
    }
    const converted = []
    for (const r of loaded.value) {
      const isK8s =
        r.apiVersion === 'networking.k8s.io/v1' || r.kind === 'StagedKubernetesNetworkPolicy'
      if (!isK8s) continue
      const result = convertKubernetesPolicy(
        r as KubernetesNetworkPolicy | StagedKubernetesNetworkPolicy,
        {
          naming,
        },
      )
      for (const e of result.errors) io.stderr(`policyboard: ${file}: ${e.toString()}\n`)
      converted.push(result.policy)
    }
    if (output === 'json') println(io, JSON.stringify(converted, null, 2))
    else io.stdout(printResources(converted))
    return 0
  },
}
