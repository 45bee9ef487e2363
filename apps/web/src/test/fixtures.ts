/** Board data shared by the web tests, in the API's shapes. */
import type {
  BoardResponse,
  BoardTier,
  ImpactGroup,
  ImpactResponse,
  PolicyKind,
  PolicySummary,
} from '@policyboard/api'
import type { Resource, Rule } from '@policyboard/policy-core'

function resourceFor(
  kind: PolicyKind,
  name: string,
  namespace: string | undefined,
  rules: Rule[],
): Resource {
  if (kind === 'KubernetesNetworkPolicy') {
    return {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name, ...(namespace ? { namespace } : {}) },
      spec: { podSelector: { matchLabels: { app: name } }, ingress: [{}] },
    }
  }
  return {
    apiVersion: 'projectcalico.org/v3',
    kind,
    metadata: { name, ...(namespace ? { namespace } : {}) },
    spec: { selector: `app == '${name}'`, ingress: rules },
  } as Resource
}

/** A card with sensible defaults: one Allow rule, 3 endpoints, some hits. */
export function policy(
  name: string,
  over: Partial<PolicySummary> & { rules?: Rule[] } = {},
): PolicySummary {
  const { rules = [{ action: 'Allow' }], ...rest } = over
  const kind: PolicyKind = rest.kind ?? 'GlobalNetworkPolicy'
  return {
    kind,
    name,
    tier: 'default',
    order: null,
    isStaged: kind.startsWith('Staged'),
    endpointCount: 3,
    hits: { allowed: 10, denied: 2, passed: 0 },
    ruleHits: [],
    resourceVersion: '1',
    resource: resourceFor(kind, name, rest.namespace, rules),
    ...rest,
  }
}

/** A column whose policies carry its name as their tier. */
export function tier(
  name: string,
  order: number | null,
  policies: PolicySummary[] = [],
  over: Partial<BoardTier> = {},
): BoardTier {
  return {
    name,
    order,
    defaultAction: 'Deny',
    isBuiltin: false,
    resourceVersion: '1',
    policies: policies.map((p) => ({ ...p, tier: name })),
    ...over,
  }
}

/** A small board: security (100) with three policies, kube-admin, default with a Kubernetes policy. */
export function sampleBoard(): BoardResponse {
  return {
    window: { from: 0, to: 86_400 },
    revision: '10',
    tiers: [
      tier('security', 100, [
        policy('deny-egress', { order: 100, rules: [{ action: 'Deny' }, { action: 'Deny' }] }),
        policy('allow-dns', { order: 200, kind: 'NetworkPolicy', namespace: 'shop' }),
        policy('quarantine', {
          order: 300,
          kind: 'StagedGlobalNetworkPolicy',
          stagedAction: 'Set',
        }),
      ]),
      tier('kube-admin', 1000, [], { defaultAction: 'Pass', isBuiltin: true }),
      tier(
        'default',
        1_000_000,
        [
          policy('web', { order: 500, kind: 'NetworkPolicy', namespace: 'shop' }),
          policy('knp-db', { order: 1000, kind: 'KubernetesNetworkPolicy', namespace: 'shop' }),
        ],
        { isBuiltin: true },
      ),
    ],
  }
}

/** An impact answer: `allowedToDenied` flows of one group frontend → web tcp/8080 turn denied. */
export function impactResponse(allowedToDenied: number): ImpactResponse {
  const group: ImpactGroup = {
    id: 'g1',
    sourceNamespace: 'shop',
    sourceWorkload: 'frontend-*',
    sourceType: 'wep',
    destinationNamespace: 'shop',
    destinationWorkload: 'web-*',
    destinationType: 'wep',
    protocol: 'tcp',
    port: 8080,
    counts: { allowedToDenied, deniedToAllowed: 0, unchanged: 0, uncertain: 0 },
    change: 'allowedToDenied',
    uncertainReasons: {},
    uncertainDetails: [],
    before: 'Allow',
    after: 'Deny',
  }
  return {
    totals: {
      flows: allowedToDenied + 5,
      allowedToDenied,
      deniedToAllowed: 0,
      unchanged: 5,
      uncertain: 0,
      uncertainByReason: {},
    },
    groups: allowedToDenied > 0 ? [group] : [],
    groupCount: allowedToDenied > 0 ? 1 : 0,
    tuples: 3,
    evaluations: 4,
    window: { from: 0, to: 86_400 },
    view: 'enforced',
    revision: '10',
    elapsedMs: 1,
  }
}
