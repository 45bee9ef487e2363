// Resource benchmarks: how fast a large policy file is parsed and validated, and printed
// back. Run with `pnpm bench resources`.
import { performance } from 'node:perf_hooks'
import { loadResources, parseYamlDocuments, printResources } from '../src/index.ts'

const POLICIES = 2000
// Parse + validate 2,000 policies of 6 rules each (≈ 1.5 MiB); the YAML parser takes most of it.
const LOAD_TARGET_MS = 2000

function policyYaml(i: number): string {
  return `apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata:
  name: security.policy-${i}
  namespace: ns-${i % 50}
  labels: {team: t${i % 7}}
spec:
  tier: security
  order: ${i}
  selector: app == 'app-${i}' && tier in {'web', 'api'}
  ingress:
    - action: Allow
      protocol: TCP
      source: {selector: role == 'frontend', namespaceSelector: env == 'prod'}
      destination: {ports: [80, 443, "8000:8100"]}
    - action: Deny
      source: {nets: [10.${i % 256}.0.0/16, 192.168.0.0/24], notNets: [10.${i % 256}.1.0/24]}
    - action: Pass
  egress:
    - action: Allow
      protocol: UDP
      destination: {selector: k8s-app == 'kube-dns', ports: [53]}
    - action: Allow
      protocol: TCP
      destination: {nets: [172.16.0.0/12], ports: [5432]}
    - action: Deny
`
}

const text = Array.from({ length: POLICIES }, (_, i) => policyYaml(i)).join('---\n')

function time<T>(fn: () => T): [T, number] {
  const start = performance.now()
  const value = fn()
  return [value, performance.now() - start]
}

loadResources(text) // warm up
const [loaded, loadMs] = time(() => loadResources(text))
if (!loaded.ok) throw new Error(loaded.errors.map(String).join('\n'))
const [, parseMs] = time(() => parseYamlDocuments(text))
const [printed, printMs] = time(() => printResources(loaded.value))
console.log(
  `resources: load (parse + validate) ${POLICIES} policies, ${(text.length / 1024 / 1024).toFixed(2)} MiB: ${loadMs.toFixed(0)} ms (target ${LOAD_TARGET_MS} ms) ${loadMs <= LOAD_TARGET_MS ? 'ok' : 'SLOW'}; YAML parsing alone ${parseMs.toFixed(0)} ms`,
)
console.log(
  `resources: print ${POLICIES} policies: ${printMs.toFixed(0)} ms, ${(printed.length / 1024 / 1024).toFixed(2)} MiB`,
)
