/**
 * Recommendations over the store: stored flow tuples of a window and the stored policies go
 * through policy-core's `recommendPolicies`; generating writes the policies (and the
 * `namespace-isolation` tier) as staged resources, never enforced ones.
 */
import type { DefaultDenyState, Recommendation, RecommendationSummary } from '@policyboard/api'
import {
  DEFAULT_DENY_NAME,
  defaultDenyPolicy,
  findDefaultDeny,
  type GlobalNetworkPolicy,
  printResources,
  RECOMMENDATION_LABELS,
  type RecommendFlow,
  type RecommendResult,
  type Resource,
  recommendPolicies,
  type StagedNetworkPolicy,
  SYSTEM_NAMESPACES,
} from '@policyboard/policy-core'
import { notFound } from '../../../../store/errors.ts'
import type { FlowStore } from '../../../../store/flows.ts'
import type { Store } from '../../../../store/index.ts'
import { tupleOfRow, windowOf } from '../impact/impact-service.ts'

/** Options of a recommendation request. */
export interface RecommendOptions {
  perWorkload?: boolean
  window?: string
  /** Now, ms. */
  now: number
}

/** Recommendations and the default-deny workflow over one app's store. */
export class RecommendationService {
  readonly #store: Store
  readonly #flows: FlowStore

  constructor(store: Store, flows: FlowStore) {
    this.#store = store
    this.#flows = flows
  }

  async #flowsOf(namespace: string | undefined, opts: RecommendOptions): Promise<RecommendFlow[]> {
    const { from, to } = windowOf(opts.window, Math.floor(opts.now / 1000))
    const rows = await this.#flows.tuples(from, to + 1, namespace)
    return rows.map((r) => ({ ...tupleOfRow(r), denied: r.src_deny + r.dst_deny > 0 }))
  }

  /** The recommendation of a namespace, computed from the store (nothing written). */
  async recommend(namespace: string, opts: RecommendOptions): Promise<Recommendation> {
    const [resources, inventory, flows] = await Promise.all([
      this.#store.list(),
      this.#store.inventory(),
      this.#flowsOf(namespace, opts),
    ])
    const r = recommendPolicies({
      resources,
      inventory,
      flows,
      namespace,
      perWorkload: opts.perWorkload ?? false,
      now: opts.now,
    })
    return toBody(namespace, r)
  }

  /**
   * Regenerates a namespace's recommendation and stores it: the tier when missing, each
   * policy in `Learn` state rewritten in place (accepted and dismissed ones are left alone).
   */
  async generate(
    namespace: string,
    actor: string,
    opts: RecommendOptions,
  ): Promise<Recommendation> {
    const rec = await this.recommend(namespace, opts)
    await this.#store.write(actor, async (w) => {
      if (rec.tier) await w.put(rec.tier)
      for (const p of rec.policies) {
        const state = rec.states[p.metadata.name]
        if (state === 'accepted' || state === 'dismissed') continue
        const { resourceVersion: _v, ...metadata } = p.metadata
        await w.put({ ...p, metadata })
      }
    })
    return this.recommend(namespace, opts)
  }

  /** Sets a stored recommendation's `stagedAction` (Set = accept, Ignore = dismiss, Learn). */
  async decide(
    namespace: string,
    name: string,
    stagedAction: 'Set' | 'Ignore' | 'Learn',
    actor: string,
  ): Promise<StagedNetworkPolicy> {
    return this.#store.write(actor, async (w) => {
      const stored = await w.get({ kind: 'StagedNetworkPolicy', namespace, name })
      if (stored?.kind !== 'StagedNetworkPolicy') {
        throw notFound(`StagedNetworkPolicy ${namespace}/${name}`)
      }
      const labels: Record<string, string> = {
        ...(stored.metadata.labels ?? {}),
        [RECOMMENDATION_LABELS.stagedAction]: stagedAction,
      }
      // Accepted: the engine no longer owns it (Calico Enterprise drops the owner reference).
      if (stagedAction === 'Set') delete labels[RECOMMENDATION_LABELS.ownerKind]
      const { resourceVersion: _v, ...metadata } = stored.metadata
      const next: StagedNetworkPolicy = {
        ...stored,
        metadata: { ...metadata, labels },
        spec: { ...stored.spec, stagedAction },
      }
      return (await w.put(next)).resource as StagedNetworkPolicy
    })
  }

  /** Every non-system namespace of the inventory with its recommendation in brief. */
  async overview(opts: RecommendOptions): Promise<RecommendationSummary[]> {
    const [resources, inventory, flows] = await Promise.all([
      this.#store.list(),
      this.#store.inventory(),
      this.#flowsOf(undefined, opts),
    ])
    const names = new Set<string>()
    for (const n of inventory.namespaces ?? []) names.add(n.name)
    for (const e of inventory.endpoints) if (e.namespace) names.add(e.namespace)
    const out: RecommendationSummary[] = []
    for (const namespace of [...names].sort()) {
      if (SYSTEM_NAMESPACES.includes(namespace)) continue
      const r = recommendPolicies({ resources, inventory, flows, namespace, now: opts.now })
      const withFlows = r.evidence.filter((e) => e.count > 0)
      out.push({
        namespace,
        policies: r.policies.map((p) => ({
          name: p.metadata.name,
          state: r.states[p.metadata.name] ?? 'new',
        })),
        rules: withFlows.length,
        allowedFlows: withFlows.reduce((n, e) => n + e.count, 0),
        deniedFlows: r.excluded
          .filter((x) => x.reason === 'denied')
          .reduce((n, x) => n + x.count, 0),
      })
    }
    return out
  }

  /**
   * The default-deny workflow's state. `canRead` leaves out policies the caller cannot read
   * (as lists do): a default deny in such a tier is not `found`, so it is neither shown nor
   * returned whole.
   */
  async defaultDeny(
    opts: RecommendOptions,
    canRead: (r: Resource) => boolean = () => true,
  ): Promise<DefaultDenyState> {
    const [resources, inventory] = await Promise.all([this.#store.list(), this.#store.inventory()])
    const dns = inventory.endpoints.find((e) => e.labels?.['k8s-app'] === 'kube-dns')?.namespace
    const found = findDefaultDeny(resources.filter(canRead))
    const names = new Set<string>()
    for (const e of inventory.endpoints) {
      if (e.namespace && !SYSTEM_NAMESPACES.includes(e.namespace)) names.add(e.namespace)
    }
    void opts
    return {
      ...(found ? { found } : {}),
      proposed: defaultDenyPolicy(dns ? { dnsNamespace: dns } : {}),
      namespaces: [...names].sort(),
    }
  }

  /**
   * Stages the proposed default deny (when none is stored), or enforces the stored staged
   * one: the GlobalNetworkPolicy is written and the staged object deleted, in one write.
   * `canRead` is the caller's read filter, as for {@link defaultDeny}.
   */
  async defaultDenyStep(
    action: 'stage' | 'enforce',
    actor: string,
    opts: RecommendOptions,
    canRead: (r: Resource) => boolean = () => true,
  ): Promise<{ resource: Resource; state: DefaultDenyState }> {
    const state = await this.defaultDeny(opts, canRead)
    const resource = await this.#store.write(actor, async (w) => {
      if (action === 'stage') {
        if (state.found) return state.found.policy
        return (await w.put(state.proposed)).resource
      }
      const found = state.found
      if (!found) throw notFound(`StagedGlobalNetworkPolicy ${DEFAULT_DENY_NAME}`)
      if (found.enforced) return found.policy
      const staged = found.policy
      const { stagedAction: _a, ...spec } = staged.spec as typeof staged.spec & {
        stagedAction?: string
      }
      const { resourceVersion: _v, ...metadata } = staged.metadata
      const enforced: GlobalNetworkPolicy = {
        apiVersion: staged.apiVersion,
        kind: 'GlobalNetworkPolicy',
        metadata,
        spec,
      }
      const out = await w.put(enforced)
      await w.delete({
        kind: 'StagedGlobalNetworkPolicy',
        namespace: '',
        name: staged.metadata.name,
      })
      return out.resource
    })
    return { resource, state: await this.defaultDeny(opts, canRead) }
  }
}

function toBody(namespace: string, r: RecommendResult): Recommendation {
  const docs: Resource[] = [...(r.tier ? [r.tier] : []), ...r.policies]
  return {
    namespace,
    policies: r.policies,
    states: r.states,
    ...(r.tier ? { tier: r.tier } : {}),
    evidence: r.evidence,
    excluded: r.excluded,
    yaml: printResources(docs),
  }
}
