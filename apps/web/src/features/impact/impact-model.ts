/** Labels and small derivations of the impact preview, kept out of the components. */
import type { ImpactChange, ImpactGroup } from '@policyboard/api'

/** Words for each reason a flow cannot be judged exactly. */
export const UNCERTAIN_LABELS: Readonly<Record<string, string>> = {
  'unknown-endpoint': 'endpoint not in the inventory',
  'address-dependent': 'no address, and a rule tests addresses',
  'members-differ': 'aggregated pods are judged differently',
  'unsupported-protocol': 'protocol the evaluator does not know',
  'no-port': 'no port, and a rule tests ports',
}

/** Words for each change of verdict. */
export const CHANGE_LABELS: Readonly<Record<ImpactGroup['change'], string>> = {
  allowedToDenied: 'allowed → denied',
  deniedToAllowed: 'denied → allowed',
  unchanged: 'unchanged',
  uncertain: 'uncertain',
}

/** `ns/workload`, or the workload alone when not namespaced. */
export function peerLabel(namespace: string, workload: string): string {
  return namespace && namespace !== '-' ? `${namespace}/${workload}` : workload
}

/** `tcp/443`, or the protocol alone. */
export function portLabel(protocol: string, port: number | null): string {
  return port === null ? protocol : `${protocol}/${port}`
}

/** What a change previews, in words. */
export function describeChange(change: ImpactChange): string {
  switch (change.type) {
    case 'staged-all':
      return 'every staged policy enforced'
    case 'staged':
      return `${change.kind} ${change.namespace ? `${change.namespace}/` : ''}${change.name} enforced`
    case 'draft': {
      const meta = (change.resource.metadata ?? {}) as { name?: string; namespace?: string }
      return `unsaved ${String(change.resource.kind ?? 'resource')} ${meta.namespace ? `${meta.namespace}/` : ''}${meta.name ?? ''}`
    }
    case 'staged-set':
      return change.policies.length === 1
        ? `${change.policies[0]?.name} enforced`
        : `${change.policies.length} staged policies enforced together`
    case 'revision':
      return `revision ${change.id}`
  }
}

/** The verdict shown for a group: after the change when applied, else the current one. */
export function shownVerdict(g: ImpactGroup, applied: boolean): 'Allow' | 'Deny' | undefined {
  return applied ? g.after : g.before
}
