/**
 * The demo cluster: the "storefront" microservices shop of Calico's tiered-policy guide
 * (Google's microservices demo), kube-dns, a Prometheus, and a second tenant, with tiers,
 * enforced policies for the shop's real call graph, and staged changes to preview. Pure data:
 * the same cluster on every call.
 */
import type {
  Endpoint,
  EndpointPort,
  GlobalNetworkPolicy,
  GlobalNetworkSet,
  KubernetesNetworkPolicy,
  Namespace,
  NetworkPolicy,
  NetworkSet,
  Resource,
  Rule,
  ServiceAccount,
  StagedGlobalNetworkPolicy,
  StagedNetworkPolicy,
  Tier,
} from '@policyboard/policy-core'
import { stringify } from 'yaml'
import { createPrng } from './prng.ts'

/** A Kubernetes Service of the demo: what a flow log names as `dest_service_*`. */
export interface DemoService {
  namespace: string
  name: string
  /** Pods behind the Service: label selector as key/value pairs (all must match). */
  selector: Record<string, string>
  /** Service ports by name; the target is the container port of the same name. */
  ports: Array<{ name: string; port: number; protocol: 'TCP' | 'UDP' }>
}

/** The whole demo cluster: Calico YAML plus the inventory the selectors see. */
export interface DemoCluster {
  /** Multi-document YAML of every Calico and Kubernetes policy resource. */
  yaml: string
  /** The same resources as objects, in the YAML's order. */
  resources: Resource[]
  namespaces: Namespace[]
  serviceAccounts: ServiceAccount[]
  /** Every pod, with its node, IP and named container ports. */
  endpoints: Endpoint[]
  services: DemoService[]
  /** Node names, in order. */
  nodes: string[]
}

const CALICO = 'projectcalico.org/v3' as const
const PART_OF = 'app.kubernetes.io/part-of'
const NODES = ['node-1', 'node-2', 'node-3']
/** The characters Kubernetes uses for generated name parts. */
const K8S_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789'
const SYSTEM_NAMESPACES = ['kube-system', 'calico-system', 'tigera-operator']

/** A storefront microservice: its listening port and security zone. */
interface ShopService {
  app: string
  /** Container port name and number; none for the load generator. */
  port?: { name: string; number: number }
  zone: 'dmz' | 'trusted' | 'restricted'
  replicas: number
  /** Apps this one calls. */
  calls: string[]
}

/** The storefront services and their call graph. */
export const STOREFRONT: readonly ShopService[] = [
  {
    app: 'frontend',
    port: { name: 'http', number: 8080 },
    zone: 'dmz',
    replicas: 3,
    calls: [
      'adservice',
      'cartservice',
      'checkoutservice',
      'currencyservice',
      'productcatalogservice',
      'recommendationservice',
      'shippingservice',
    ],
  },
  {
    app: 'cartservice',
    port: { name: 'grpc', number: 7070 },
    zone: 'trusted',
    replicas: 2,
    calls: ['redis-cart'],
  },
  {
    app: 'productcatalogservice',
    port: { name: 'grpc', number: 3550 },
    zone: 'trusted',
    replicas: 2,
    calls: [],
  },
  {
    app: 'currencyservice',
    port: { name: 'grpc', number: 7000 },
    zone: 'trusted',
    replicas: 2,
    calls: [],
  },
  {
    app: 'paymentservice',
    port: { name: 'grpc', number: 50051 },
    zone: 'restricted',
    replicas: 2,
    calls: [],
  },
  {
    app: 'shippingservice',
    port: { name: 'grpc', number: 50051 },
    zone: 'trusted',
    replicas: 1,
    calls: [],
  },
  {
    app: 'emailservice',
    port: { name: 'grpc', number: 8080 },
    zone: 'trusted',
    replicas: 1,
    calls: [],
  },
  {
    app: 'checkoutservice',
    port: { name: 'grpc', number: 5050 },
    zone: 'trusted',
    replicas: 2,
    calls: [
      'cartservice',
      'currencyservice',
      'emailservice',
      'paymentservice',
      'productcatalogservice',
      'shippingservice',
    ],
  },
  {
    app: 'recommendationservice',
    port: { name: 'grpc', number: 8080 },
    zone: 'trusted',
    replicas: 1,
    calls: ['productcatalogservice'],
  },
  {
    app: 'adservice',
    port: { name: 'grpc', number: 9555 },
    zone: 'trusted',
    replicas: 1,
    calls: [],
  },
  {
    app: 'redis-cart',
    port: { name: 'redis', number: 6379 },
    zone: 'restricted',
    replicas: 1,
    calls: [],
  },
  { app: 'loadgenerator', zone: 'dmz', replicas: 1, calls: ['frontend'] },
]

/** Port every storefront pod exposes to Prometheus (OpenTelemetry's exporter default). */
export const METRICS_PORT = 9464
/** Address ranges of the demo's network sets (documentation ranges, RFC 5737). */
export const PARTNER_NETS = ['198.51.100.0/24']
export const THREAT_NETS = ['192.0.2.0/24']
export const PAYMENT_GATEWAY_NETS = ['203.0.113.32/28']

function tcp(name: string, port: number): EndpointPort {
  return { name, port, protocol: 'TCP' }
}

/** Builds the inventory: pods placed round-robin on nodes, IPs from each node's pod CIDR. */
function buildInventory(): Pick<
  DemoCluster,
  'namespaces' | 'serviceAccounts' | 'endpoints' | 'services'
> {
  const prng = createPrng(2026)
  const suffix = (n: number) =>
    Array.from({ length: n }, () => prng.pick([...K8S_ALPHABET])).join('')
  const nextHost = [10, 10, 10]
  let nodeTurn = 0
  const endpoints: Endpoint[] = []
  const place = (e: Omit<Endpoint, 'ips' | 'node'>, node = nodeTurn++ % NODES.length): Endpoint => {
    const host = nextHost[node] as number
    nextHost[node] = host + 1
    const ep = { ...e, node: NODES[node] as string, ips: [`10.244.${node + 1}.${host}`] }
    endpoints.push(ep)
    return ep
  }
  const deployment = (
    namespace: string,
    app: string,
    replicas: number,
    labels: Record<string, string>,
    ports: EndpointPort[],
    serviceAccount: string,
  ) => {
    const hash = suffix(10)
    for (let i = 0; i < replicas; i++) {
      place({
        name: `${app}-${hash}-${suffix(5)}`,
        namespace,
        labels: { ...labels, 'pod-template-hash': hash },
        serviceAccount,
        ports,
      })
    }
  }

  const namespaces: Namespace[] = [
    {
      name: 'storefront',
      labels: { [PART_OF]: 'storefront', 'fw-tenant': 'storefront', environment: 'production' },
    },
    { name: 'kube-system', labels: {} },
    { name: 'monitoring', labels: { purpose: 'observability' } },
    { name: 'tenant-b', labels: { 'fw-tenant': 'tenant-b', environment: 'production' } },
  ]
  const serviceAccounts: ServiceAccount[] = []
  const services: DemoService[] = []

  for (const svc of STOREFRONT) {
    serviceAccounts.push({
      name: svc.app,
      namespace: 'storefront',
      labels: { [PART_OF]: 'storefront' },
    })
    const ports = svc.port ? [tcp(svc.port.name, svc.port.number)] : []
    if (svc.app !== 'loadgenerator') ports.push(tcp('metrics', METRICS_PORT))
    deployment(
      'storefront',
      svc.app,
      svc.replicas,
      { app: svc.app, 'fw-zone': svc.zone, [PART_OF]: 'storefront' },
      ports,
      svc.app,
    )
    if (svc.port) {
      services.push({
        namespace: 'storefront',
        name: svc.app,
        selector: { app: svc.app },
        ports: [{ name: svc.port.name, port: svc.port.number, protocol: 'TCP' }],
      })
    }
  }

  serviceAccounts.push({ name: 'coredns', namespace: 'kube-system' })
  deployment(
    'kube-system',
    'coredns',
    2,
    { 'k8s-app': 'kube-dns' },
    [{ name: 'dns', port: 53, protocol: 'UDP' }, tcp('dns-tcp', 53), tcp('metrics', 9153)],
    'coredns',
  )
  services.push({
    namespace: 'kube-system',
    name: 'kube-dns',
    selector: { 'k8s-app': 'kube-dns' },
    ports: [
      { name: 'dns', port: 53, protocol: 'UDP' },
      { name: 'dns-tcp', port: 53, protocol: 'TCP' },
      { name: 'metrics', port: 9153, protocol: 'TCP' },
    ],
  })

  serviceAccounts.push({ name: 'prometheus', namespace: 'monitoring' })
  place({
    name: 'prometheus-k8s-0',
    namespace: 'monitoring',
    labels: { 'app.kubernetes.io/name': 'prometheus', 'app.kubernetes.io/instance': 'k8s' },
    serviceAccount: 'prometheus',
    ports: [tcp('web', 9090)],
  })

  serviceAccounts.push(
    { name: 'default', namespace: 'tenant-b' },
    { name: 'web', namespace: 'tenant-b' },
    { name: 'db', namespace: 'tenant-b' },
  )
  deployment('tenant-b', 'web', 2, { app: 'web', tier: 'frontend' }, [tcp('http', 8080)], 'web')
  place({
    name: 'db-0',
    namespace: 'tenant-b',
    labels: { app: 'db', tier: 'database' },
    serviceAccount: 'db',
    ports: [tcp('postgres', 5432)],
  })
  place({
    name: 'debug-shell',
    namespace: 'tenant-b',
    labels: { app: 'debug-shell', 'fw-quarantine': 'true' },
    serviceAccount: 'default',
  })
  services.push(
    {
      namespace: 'tenant-b',
      name: 'web',
      selector: { app: 'web' },
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    },
    {
      namespace: 'tenant-b',
      name: 'db',
      selector: { app: 'db' },
      ports: [{ name: 'postgres', port: 5432, protocol: 'TCP' }],
    },
  )
  return { namespaces, serviceAccounts, endpoints, services }
}

function tier(name: string, order: number): Tier {
  return { apiVersion: CALICO, kind: 'Tier', metadata: { name }, spec: { order } }
}

function gnp(name: string, spec: GlobalNetworkPolicy['spec']): GlobalNetworkPolicy {
  return { apiVersion: CALICO, kind: 'GlobalNetworkPolicy', metadata: { name }, spec }
}

const KUBE_DNS = {
  selector: "k8s-app == 'kube-dns'",
  namespaceSelector: "projectcalico.org/name == 'kube-system'",
}
const PROMETHEUS = {
  selector: "app.kubernetes.io/name == 'prometheus'",
  namespaceSelector: "projectcalico.org/name == 'monitoring'",
}
const PRIVATE_NETS = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16']

/**
 * Egress rules that let a pod resolve names through kube-dns, by the pods' named ports
 * (`dns`, `dns-tcp`) or by number.
 */
function dnsEgress(named: boolean): Rule[] {
  return [
    { action: 'Allow', protocol: 'UDP', destination: { ...KUBE_DNS, ports: [named ? 'dns' : 53] } },
    {
      action: 'Allow',
      protocol: 'TCP',
      destination: { ...KUBE_DNS, ports: [named ? 'dns-tcp' : 53] },
    },
  ]
}

/** The app-tier policy of one storefront service: its callers in, its callees out. */
function appPolicy(svc: ShopService): NetworkPolicy['spec'] {
  const callers = STOREFRONT.filter((s) => s.calls.includes(svc.app)).map((s) => s.app)
  const ingress: Rule[] = []
  if (svc.app === 'frontend') {
    // The shop's front door: customers arrive from anywhere, through the load balancer.
    ingress.push({ action: 'Allow', protocol: 'TCP', destination: { ports: ['http'] } })
  } else if (svc.app === 'paymentservice') {
    // Only the checkout may charge cards: pinned by service account, not by a label.
    ingress.push({
      action: 'Allow',
      protocol: 'TCP',
      source: { serviceAccounts: { names: ['checkoutservice'] } },
      destination: { ports: ['grpc'] },
    })
  } else if (svc.port && callers.length) {
    const sel =
      callers.length === 1
        ? `app == '${callers[0]}'`
        : `app in {${callers.map((c) => `'${c}'`).join(', ')}}`
    ingress.push({
      action: 'Allow',
      protocol: 'TCP',
      source: { selector: sel },
      destination: { ports: [svc.port.name] },
    })
  }
  const egress: Rule[] = svc.calls.map((callee) => {
    const target = STOREFRONT.find((s) => s.app === callee)
    return {
      action: 'Allow',
      protocol: 'TCP',
      destination: { selector: `app == '${callee}'`, ports: [target?.port?.name ?? 'http'] },
    }
  })
  if (svc.app === 'frontend') {
    egress.push({
      action: 'Allow',
      protocol: 'TCP',
      destination: { notNets: PRIVATE_NETS, ports: [443] },
    })
  }
  if (svc.app === 'paymentservice') {
    egress.push({
      action: 'Allow',
      protocol: 'TCP',
      destination: { selector: "role == 'payment-gateway'", ports: [443] },
    })
  }
  if (svc.app === 'shippingservice') {
    egress.push({
      action: 'Allow',
      protocol: 'TCP',
      destination: {
        namespaceSelector: 'global()',
        selector: "fw-partner == 'true'",
        ports: [443],
      },
    })
  }
  return {
    tier: 'app',
    order: 100,
    selector: `app == '${svc.app}'`,
    types: ['Ingress', 'Egress'],
    ...(ingress.length ? { ingress } : {}),
    ...(egress.length ? { egress } : {}),
  }
}

function buildResources(): Resource[] {
  const resources: Resource[] = [tier('security', 100), tier('platform', 200), tier('app', 300)]

  const partners: GlobalNetworkSet = {
    apiVersion: CALICO,
    kind: 'GlobalNetworkSet',
    metadata: { name: 'trusted-partners', labels: { 'fw-partner': 'true' } },
    spec: { nets: PARTNER_NETS },
  }
  const threats: GlobalNetworkSet = {
    apiVersion: CALICO,
    kind: 'GlobalNetworkSet',
    metadata: { name: 'threat-feed', labels: { 'fw-threatfeed': 'true' } },
    spec: { nets: THREAT_NETS },
  }
  const gateway: NetworkSet = {
    apiVersion: CALICO,
    kind: 'NetworkSet',
    metadata: {
      name: 'payment-gateway',
      namespace: 'storefront',
      labels: { role: 'payment-gateway' },
    },
    spec: { nets: PAYMENT_GATEWAY_NETS },
  }
  resources.push(partners, threats, gateway)

  resources.push(
    gnp('security.quarantine', {
      tier: 'security',
      order: 10,
      selector: "fw-quarantine == 'true'",
      types: ['Ingress', 'Egress'],
      ingress: [{ action: 'Deny' }],
      egress: [{ action: 'Deny' }],
    }),
    gnp('security.restricted-zone', {
      tier: 'security',
      order: 20,
      selector: "fw-zone == 'restricted'",
      types: ['Ingress'],
      ingress: [{ action: 'Deny', source: { selector: "fw-zone == 'dmz'" } }],
    }),
    gnp('security.block-threats', {
      tier: 'security',
      order: 30,
      selector: 'all()',
      types: ['Ingress', 'Egress'],
      ingress: [
        { action: 'Deny', source: { selector: "fw-threatfeed == 'true'" } },
        { action: 'Pass' },
      ],
      egress: [
        { action: 'Deny', destination: { selector: "fw-threatfeed == 'true'" } },
        { action: 'Pass' },
      ],
    }),
    gnp('platform.allow-dns', {
      tier: 'platform',
      order: 100,
      selector: 'all()',
      types: ['Egress'],
      egress: dnsEgress(true),
    }),
    gnp('platform.allow-scrape', {
      tier: 'platform',
      order: 200,
      selector: 'all()',
      types: ['Ingress'],
      ingress: [
        {
          action: 'Allow',
          protocol: 'TCP',
          source: PROMETHEUS,
          destination: { ports: ['metrics'] },
        },
      ],
    }),
    gnp('platform.prometheus-egress', {
      tier: 'platform',
      order: 210,
      selector: PROMETHEUS.selector,
      namespaceSelector: PROMETHEUS.namespaceSelector,
      types: ['Egress'],
      egress: [{ action: 'Allow', protocol: 'TCP', destination: { ports: ['metrics'] } }],
    }),
    gnp('platform.pass-to-app', {
      tier: 'platform',
      order: 1000,
      selector: 'all()',
      types: ['Ingress', 'Egress'],
      ingress: [{ action: 'Pass' }],
      egress: [{ action: 'Pass' }],
    }),
  )

  for (const svc of STOREFRONT) {
    const np: NetworkPolicy = {
      apiVersion: CALICO,
      kind: 'NetworkPolicy',
      metadata: { name: `app.${svc.app}`, namespace: 'storefront' },
      spec: appPolicy(svc),
    }
    resources.push(np)
  }

  const knp = (name: string, spec: KubernetesNetworkPolicy['spec']): KubernetesNetworkPolicy => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace: 'tenant-b' },
    spec,
  })
  resources.push(
    knp('web-ingress', {
      podSelector: { matchLabels: { app: 'web' } },
      policyTypes: ['Ingress'],
      ingress: [{ ports: [{ protocol: 'TCP', port: 8080 }] }],
    }),
    knp('db-from-web', {
      podSelector: { matchLabels: { app: 'db' } },
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [{ podSelector: { matchLabels: { app: 'web' } } }],
          ports: [{ protocol: 'TCP', port: 5432 }],
        },
      ],
    }),
  )

  // Staged: the cluster-wide default deny the team wants to enforce next, and a tightening of
  // the catalog's ingress that forgets the recommendation service (the preview shows it).
  const defaultDeny: StagedGlobalNetworkPolicy = {
    apiVersion: CALICO,
    kind: 'StagedGlobalNetworkPolicy',
    metadata: { name: 'default-deny' },
    spec: {
      tier: 'default',
      order: 10_000,
      selector: 'all()',
      namespaceSelector: `projectcalico.org/name not in {${SYSTEM_NAMESPACES.map((n) => `'${n}'`).join(', ')}}`,
      types: ['Ingress', 'Egress'],
      egress: dnsEgress(false),
      stagedAction: 'Set',
    },
  }
  const catalogChange: StagedNetworkPolicy = {
    apiVersion: CALICO,
    kind: 'StagedNetworkPolicy',
    metadata: { name: 'app.productcatalogservice', namespace: 'storefront' },
    spec: {
      tier: 'app',
      order: 90,
      selector: "app == 'productcatalogservice'",
      types: ['Ingress', 'Egress'],
      ingress: [
        {
          action: 'Allow',
          protocol: 'TCP',
          source: { selector: "app in {'checkoutservice', 'frontend'}" },
          destination: { ports: ['grpc'] },
        },
        { action: 'Deny' },
      ],
      stagedAction: 'Set',
    },
  }
  resources.push(defaultDeny, catalogChange)
  return resources
}

/** Prints resources as multi-document YAML in the order given. */
function toYaml(resources: readonly Resource[]): string {
  return resources.map((r) => stringify(r, { lineWidth: 0 })).join('---\n')
}

/**
 * The demo cluster. Namespaces `storefront` (the shop, zones `fw-zone: dmz | trusted |
 * restricted`), `kube-system` (kube-dns), `monitoring` (Prometheus) and `tenant-b` (a web app,
 * its database and a quarantined debug pod); tiers `security` (100), `platform` (200) and
 * `app` (300) before the built-in `default`; a staged global default deny and one staged
 * NetworkPolicy change.
 */
export function demoCluster(): DemoCluster {
  const inventory = buildInventory()
  const resources = buildResources()
  return { yaml: toYaml(resources), resources, ...inventory, nodes: [...NODES] }
}
