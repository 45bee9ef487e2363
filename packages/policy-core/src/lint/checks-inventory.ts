/**
 * Checks against the inventory, through the evaluator's compiled model: policies that select
 * no endpoint, rule selectors that match no endpoint or network set, and default-deny egress
 * that blocks DNS to kube-dns.
 */
import {
  type CompiledModel,
  type CompiledPolicy,
  type CompiledRule,
  compilePolicySet,
  evaluateFlow,
  type PolicyRef,
  type ViewName,
  workloadLabels,
} from '../evaluator/index.ts'
import type { Endpoint, EntityRule, HostEndpoint, Resource, Rule } from '../resources/types.ts'
import { compileSelector } from '../selector/index.ts'
import { DIRECTIONS } from './checks-static.ts'
import { portsCover } from './covers.ts'
import type { LintModel, LintPolicy } from './model.ts'
import { rulesPath } from './model.ts'
import { scopeEntity } from './scope.ts'
import { LintCodes, type LintFinding, type LintInput } from './types.ts'

/** Host endpoints declared as resources, as inventory endpoints (their `expectedIPs` are their addresses). */
function hostEndpointsOf(resources: readonly Resource[]): Endpoint[] {
  return resources
    .filter((r): r is HostEndpoint => r.kind === 'HostEndpoint')
    .map((h) => ({
      name: h.metadata.name,
      kind: 'host' as const,
      labels: { ...(h.metadata.labels ?? {}) },
      ips: [...(h.spec?.expectedIPs ?? [])],
      ports: [...(h.spec?.ports ?? [])],
      profiles: [...(h.spec?.profiles ?? [])],
      ...(h.spec?.node ? { node: h.spec.node } : {}),
    }))
}

/** Compiles the evaluator model of the input, or undefined when it has no inventory or does not compile. */
export function compileForLint(input: LintInput): CompiledModel | undefined {
  if (!input.endpoints) return undefined
  try {
    return compilePolicySet({
      resources: input.resources,
      ...(input.namespaces ? { namespaces: input.namespaces } : {}),
      ...(input.serviceAccounts ? { serviceAccounts: input.serviceAccounts } : {}),
      endpoints: [...input.endpoints, ...hostEndpointsOf(input.resources)],
    })
  } catch {
    // A resource that does not compile is a validation error, reported by validation, not lint.
    return undefined
  }
}

function refKey(r: { kind: string; namespace?: string; name: string }): string {
  return `${r.kind}/${r.namespace ?? ''}/${r.name}`
}

/** The compiled policy of each lint policy (namespaced kinds default to namespace `default`, as the evaluator does). */
function compiledByPolicy(
  model: LintModel,
  compiled: CompiledModel,
): Map<LintPolicy, CompiledPolicy> {
  const byRef = new Map<string, CompiledPolicy>()
  for (const c of compiled.policies) byRef.set(refKey(c.ref), c)
  const out = new Map<LintPolicy, CompiledPolicy>()
  for (const p of model.policies) {
    const ns =
      p.kind === 'GlobalNetworkPolicy' || p.kind === 'StagedGlobalNetworkPolicy'
        ? undefined
        : (p.namespace ?? 'default')
    const c = byRef.get(
      refKey({
        kind: p.kind,
        name: p.resource.metadata.name,
        ...(ns !== undefined ? { namespace: ns } : {}),
      }),
    )
    if (c) out.set(p, c)
  }
  return out
}

function selectedEndpoints(compiled: CompiledModel, c: CompiledPolicy): number[] {
  return compiled.endpoints
    .filter((e) => {
      const id = compiled.identities[e.identity]
      return (
        id !== undefined &&
        (c.namespace === undefined || c.namespace === id.namespace) &&
        c.appliesTo(id.labels)
      )
    })
    .map((e) => e.index)
}

/** SELECTS_NOTHING: policies whose composed applies-to selector matches no endpoint of the inventory. */
export function checkSelectsNothing(model: LintModel, compiled: CompiledModel): LintFinding[] {
  const out: LintFinding[] = []
  for (const [p, c] of compiledByPolicy(model, compiled)) {
    if (p.stagedAction === 'Delete') continue
    if (selectedEndpoints(compiled, c).length > 0) continue
    const scope =
      p.namespace !== undefined
        ? ` in namespace '${p.namespace}'`
        : p.namespaceSelector
          ? ` in namespaces matching '${p.namespaceSelector}'`
          : ''
    out.push({
      code: LintCodes.SELECTS_NOTHING,
      severity: 'warning',
      message: `the policy applies to no endpoint of the inventory: no endpoint${scope} matches '${p.selector || 'all()'}'${p.serviceAccountSelector ? ` with service accounts matching '${p.serviceAccountSelector}'` : ''}`,
      resource: p.ref,
      path: p.selectorPath,
      fix: 'correct the selector to the labels the workloads carry (or the namespace), or delete the policy',
    })
  }
  return out
}

function sidePath(
  p: LintPolicy,
  dir: 'ingress' | 'egress',
  i: number,
  side: 'source' | 'destination',
  e: EntityRule | undefined,
): string {
  const base = rulesPath(p, dir, i)
  if (p.converted) return base
  const field = e?.selector
    ? 'selector'
    : e?.namespaceSelector
      ? 'namespaceSelector'
      : e?.serviceAccounts
        ? 'serviceAccounts'
        : 'notSelector'
  return `${base}.${side}.${field}`
}

/** RULE_SELECTOR_MATCHES_NOTHING: rule sides whose scoped selector matches no endpoint or network set. */
export function checkRuleSelectorsMatchNothing(
  model: LintModel,
  compiled: CompiledModel,
): LintFinding[] {
  const out: LintFinding[] = []
  const slotMatches = new Map<number, boolean>()
  const anyOwner = (slot: number): boolean => {
    let hit = slotMatches.get(slot)
    if (hit === undefined) {
      const s = compiled.selectors[slot]
      hit =
        s !== undefined &&
        compiled.owners.some((o) => {
          const id = compiled.identities[o.identity]
          return id !== undefined && s.match(id.labels)
        })
      slotMatches.set(slot, hit)
    }
    return hit
  }
  for (const [p, c] of compiledByPolicy(model, compiled)) {
    for (const { dir } of DIRECTIONS) {
      const rules: CompiledRule[] | undefined = c[dir]
      if (!rules) continue
      for (const r of rules) {
        const source: Rule | undefined = p[dir][r.index]
        for (const [side, entity] of [
          ['source', r.src],
          ['destination', r.dst],
        ] as const) {
          if (entity.selector < 0 || anyOwner(entity.selector)) continue
          const e = source?.[side]
          out.push({
            code: LintCodes.RULE_SELECTOR_MATCHES_NOTHING,
            severity: 'warning',
            message: `the ${side} of ${dir} rule ${r.index} matches no endpoint or network set of the inventory${e?.selector ? ` ('${e.selector}'${p.namespace !== undefined && !e.namespaceSelector ? ` in namespace '${p.namespace}'` : ''})` : ''}, so the rule never matches`,
            resource: p.ref,
            path: sidePath(p, dir, r.index, side, e),
            fix:
              p.namespace !== undefined && e?.selector && !e.namespaceSelector
                ? 'correct the selector, or add a namespaceSelector if the peers live in another namespace'
                : 'correct the selector to labels that endpoints or network sets carry, or remove the rule',
          })
        }
      }
    }
  }
  return out
}

const KUBE_DNS_NAMESPACE = 'kube-system'
const KUBE_DNS_LABELS = { 'k8s-app': 'kube-dns' }

function isKubeDns(e: Endpoint): boolean {
  return (
    (e.kind ?? 'workload') === 'workload' &&
    e.namespace === KUBE_DNS_NAMESPACE &&
    e.labels?.['k8s-app'] === 'kube-dns'
  )
}

function dnsFinding(p: LintPolicy, detail: string): LintFinding {
  return {
    code: LintCodes.DEFAULT_DENY_BLOCKS_DNS,
    severity: 'warning',
    message: `egress default deny of tier '${p.tier}' blocks DNS (UDP 53 to kube-dns in kube-system) ${detail}`,
    resource: p.ref,
    path: p.converted ? 'spec.policyTypes' : 'spec.types',
    fix: `add an egress Allow rule for UDP 53 to selector "k8s-app == 'kube-dns'" with namespaceSelector "projectcalico.org/name == 'kube-system'" in tier '${p.tier}' (or an earlier tier)`,
  }
}

function sameRef(a: PolicyRef, c: CompiledPolicy): boolean {
  return (
    a.kind === c.ref.kind &&
    a.name === c.ref.name &&
    (a.namespace ?? '') === (c.ref.namespace ?? '')
  )
}

/**
 * DEFAULT_DENY_BLOCKS_DNS with an inventory: for each policy governing egress in a Deny tier,
 * a UDP/53 flow from each pod it selects to a kube-dns pod is judged (in the view that holds the
 * policy); the policy is reported when its tier's end-of-tier deny decides such a flow.
 */
export function checkDnsWithInventory(
  model: LintModel,
  compiled: CompiledModel,
  input: LintInput,
): LintFinding[] | undefined {
  const dns = (input.endpoints ?? []).find(isKubeDns)
  if (!dns) return undefined
  const dnsRef = `${KUBE_DNS_NAMESPACE}/${dns.name}`
  const out: LintFinding[] = []
  const judged = new Map<string, ReturnType<typeof evaluateFlow>>()
  for (const [p, c] of compiledByPolicy(model, compiled)) {
    if (!c.egress || compiled.tiers.get(p.tier)?.defaultAction === 'Pass') continue
    if (p.staged && p.stagedAction !== 'Set' && p.stagedAction !== 'Learn') continue
    const view: ViewName = p.staged ? 'staged' : 'enforced'
    const blocked: string[] = []
    for (const idx of selectedEndpoints(compiled, c)) {
      const ep = compiled.endpoints[idx]
      if (ep?.kind !== 'workload' || ep.ref === dnsRef) continue
      let result = judged.get(ep.ref)
      if (!result) {
        result = evaluateFlow(compiled, {
          id: `${ep.ref}->dns`,
          source: { endpoint: ep.ref },
          destination: { endpoint: dnsRef },
          protocol: 'UDP',
          port: 53,
        })
        judged.set(ep.ref, result)
      }
      const egress = result[view].egress
      const tier = egress?.tiers.find((t) => t.tier === p.tier)
      if (
        egress?.action === 'Deny' &&
        tier?.ended === 'EndOfTierDeny' &&
        tier.policies.some((r) => sameRef(r, c))
      ) {
        blocked.push(ep.ref)
      }
    }
    if (blocked.length > 0) {
      out.push(
        dnsFinding(
          p,
          `for ${blocked.length} selected pod${blocked.length === 1 ? '' : 's'} (e.g. ${blocked[0]})`,
        ),
      )
    }
  }
  return out
}

/** Whether a rule side may hold the kube-dns pod (unknown addresses count as possible). */
function mayHoldKubeDns(
  p: LintPolicy,
  e: EntityRule | undefined,
  dnsLabels: Record<string, string>,
): boolean {
  if (!e) return true
  const scoped = scopeEntity(p, e)
  if (!scoped.valid) return true
  if (scoped.positive && !compileSelector(scoped.positive)(dnsLabels)) return false
  if (scoped.negative && compileSelector(scoped.negative)(dnsLabels)) return false
  if (e.notPorts?.some((port) => portsCover([port], [53]))) return false
  if (
    e.ports &&
    e.ports.length > 0 &&
    !e.ports.some((port) => typeof port === 'string' && !/^[0-9:]+$/.test(port)) &&
    !portsCover(e.ports, [53])
  ) {
    return false
  }
  return true
}

/** Whether an egress rule may let UDP/53 to kube-dns through (Allow) or out of the tier (Pass). */
function mayLetDnsThrough(p: LintPolicy, rule: Rule, dnsLabels: Record<string, string>): boolean {
  if (rule.action !== 'Allow' && rule.action !== 'Pass') return false
  const proto = rule.protocol
  if (proto !== undefined && proto !== 'UDP' && proto !== 17 && proto !== '17') return false
  if (rule.notProtocol === 'UDP' || rule.notProtocol === 17) return false
  if (rule.icmp) return false
  return mayHoldKubeDns(p, rule.destination, dnsLabels)
}

/**
 * DEFAULT_DENY_BLOCKS_DNS without an inventory: an enforced policy governing egress in a Deny
 * tier is reported when no egress rule of its tier or of an earlier tier could allow (or pass)
 * UDP/53 to a kube-dns pod. Rules whose reach cannot be judged without addresses count as
 * allowing, so only certain cases are reported.
 */
export function checkDnsStatic(model: LintModel, input: LintInput): LintFinding[] {
  const ns = input.namespaces?.find((n) => n.name === KUBE_DNS_NAMESPACE)
  const dnsLabels = workloadLabels(
    {
      name: 'kube-dns',
      namespace: KUBE_DNS_NAMESPACE,
      labels: KUBE_DNS_LABELS,
      serviceAccount: 'coredns',
    },
    ns?.labels,
    undefined,
  )
  const out: LintFinding[] = []
  let earlierAllows = false
  for (const tier of model.tiers) {
    const enforced = tier.policies.filter((p) => !p.staged && p.types.includes('Egress'))
    const tierAllows = enforced.some((p) => p.egress.some((r) => mayLetDnsThrough(p, r, dnsLabels)))
    if (!earlierAllows && !tierAllows && tier.defaultAction === 'Deny') {
      for (const p of enforced) {
        out.push(
          dnsFinding(
            p,
            'for every pod it selects: no egress rule of this or an earlier tier allows it',
          ),
        )
      }
    }
    earlierAllows ||= tierAllows
  }
  return out
}
