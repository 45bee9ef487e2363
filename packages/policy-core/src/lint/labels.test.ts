import { describe, expect, it } from 'vitest'
import { type LabelRules, lintLabels, parseLabelRules, reservedKeyReason } from './labels.ts'

describe('reservedKeyReason', () => {
  it.each([
    // Reserved: a reserved domain, or a subdomain of one.
    ['kubernetes.io/team', true],
    ['node.kubernetes.io/role', true],
    ['k8s.io/x', true],
    ['sigs.k8s.io/x', true],
    ['tigera.io/x', true],
    ['projectcalico.org/namespace', true],
    ['policy.projectcalico.org/x', true],
    ['calico/k8s_ns', true],
    // Calico's inherited profile prefixes shadow namespace/service-account labels.
    ['pcns.team', true],
    ['pcsa.role', true],
    // Fine: Kubernetes' own well-known and recommended labels, and user domains.
    ['kubernetes.io/metadata.name', false],
    ['app.kubernetes.io/name', false],
    ['app.kubernetes.io/part-of', false],
    ['statefulset.kubernetes.io/pod-name', false],
    ['app', false],
    ['example.com/team', false],
    // Only a whole domain label counts: notkubernetes.io is someone else's domain.
    ['notkubernetes.io/x', false],
    ['mycalico/x', false],
  ])('%s reserved: %s', (key, reserved) => {
    expect(reservedKeyReason(key) !== undefined).toBe(reserved)
  })
})

describe('lintLabels', () => {
  const rules: LabelRules = {
    requireWorkloadLabels: ['app'],
    requireNamespaceLabels: ['team'],
    allowedValuePrefixes: { 'security-domain': ['sd-'] },
    namespaces: { payments: { requireWorkloadLabels: ['security-domain'] } },
  }
  const rows: Array<{ name: string; input: Parameters<typeof lintLabels>[0]; expected: string[] }> =
    [
      {
        name: 'a compliant workload and namespace',
        input: {
          namespaces: [
            {
              name: 'payments',
              labels: { team: 'pay', 'kubernetes.io/metadata.name': 'payments' },
            },
          ],
          endpoints: [
            {
              name: 'api',
              namespace: 'payments',
              labels: { app: 'api', 'security-domain': 'sd-pci' },
            },
          ],
        },
        expected: [],
      },
      {
        name: 'missing labels: global and per namespace',
        input: {
          namespaces: [{ name: 'payments' }],
          endpoints: [{ name: 'api', namespace: 'payments', labels: {} }],
        },
        expected: [
          'MISSING_REQUIRED_LABEL Namespace payments metadata.labels',
          'MISSING_REQUIRED_LABEL Pod payments/api metadata.labels',
          'MISSING_REQUIRED_LABEL Pod payments/api metadata.labels',
        ],
      },
      {
        name: 'the per-namespace rule applies only in its namespace',
        input: { endpoints: [{ name: 'web', namespace: 'shop', labels: { app: 'web' } }] },
        expected: [],
      },
      {
        name: 'a value without an allowed prefix',
        input: {
          endpoints: [
            { name: 'api', namespace: 'shop', labels: { app: 'api', 'security-domain': 'pci' } },
          ],
        },
        expected: ["LABEL_VALUE_PREFIX Pod shop/api metadata.labels['security-domain']"],
      },
      {
        name: 'reserved keys on a workload; host endpoints need no workload labels',
        input: {
          endpoints: [
            {
              name: 'api',
              namespace: 'shop',
              labels: { app: 'api', 'projectcalico.org/tier': 'x' },
            },
            { name: 'node1-eth0', kind: 'host', labels: { 'tigera.io/x': 'y' } },
          ],
        },
        expected: [
          "RESERVED_LABEL_KEY Pod shop/api metadata.labels['projectcalico.org/tier']",
          "RESERVED_LABEL_KEY HostEndpoint node1-eth0 metadata.labels['tigera.io/x']",
        ],
      },
    ]
  it.each(rows)('$name', ({ input, expected }) => {
    expect(lintLabels(input, rules).map((f) => `${f.code} ${f.resource} ${f.path}`)).toEqual(
      expected,
    )
  })

  it('names the missing key and the allowed prefixes', () => {
    const [missing] = lintLabels(
      { endpoints: [{ name: 'a', namespace: 'x' }] },
      { requireWorkloadLabels: ['app'] },
    )
    expect(missing?.message).toBe("required label 'app' is missing")
    expect(missing?.severity).toBe('error')
    const [prefix] = lintLabels(
      { endpoints: [{ name: 'a', namespace: 'x', labels: { sd: 'b' } }] },
      { allowedValuePrefixes: { sd: ['p-', 'q-'] } },
    )
    expect(prefix?.message).toBe(
      "label 'sd' has value 'b', expected a value starting with 'p-' or 'q-'",
    )
  })
})

describe('parseLabelRules', () => {
  it('reads YAML and JSON', () => {
    const yaml =
      'requireWorkloadLabels: [app]\nallowedValuePrefixes:\n  sd: [sd-]\nnamespaces:\n  pay:\n    requireWorkloadLabels: [sd]\n'
    const expected: LabelRules = {
      requireWorkloadLabels: ['app'],
      allowedValuePrefixes: { sd: ['sd-'] },
      namespaces: { pay: { requireWorkloadLabels: ['sd'] } },
    }
    expect(parseLabelRules(yaml)).toEqual({ ok: true, value: expected })
    expect(parseLabelRules(JSON.stringify(expected))).toEqual({ ok: true, value: expected })
    expect(parseLabelRules('')).toEqual({ ok: true, value: {} })
  })

  it.each([
    ['requireWorkloadLabels: app', 'INVALID_TYPE requireWorkloadLabels'],
    ['requireWorkloadLabels: [app, 3]', 'INVALID_TYPE requireWorkloadLabels[1]'],
    ['requireLabels: [app]', 'UNKNOWN_FIELD requireLabels'],
    ['allowedValuePrefixes: {sd: sd-}', 'INVALID_TYPE allowedValuePrefixes.sd'],
    ['namespaces: {pay: {require: [x]}}', 'UNKNOWN_FIELD namespaces.pay.require'],
    [
      'namespaces: {pay: {requireWorkloadLabels: [""]}}',
      'INVALID_TYPE namespaces.pay.requireWorkloadLabels[0]',
    ],
    ['[1, 2]', 'INVALID_TYPE '],
    ['a: [1', 'YAML_SYNTAX '],
  ])('%s fails at its path', (text, expected) => {
    const r = parseLabelRules(text)
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.errors.map((e) => `${e.code} ${e.path}`)).toEqual([expected])
  })
})
