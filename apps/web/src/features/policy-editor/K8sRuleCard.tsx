import type {
  K8sNetworkPolicyPeer,
  K8sNetworkPolicyPort,
  LabelSelector,
} from '@policyboard/policy-core'
import { ChipsInput } from './ChipsInput.tsx'
import { Field } from './FieldErrors.tsx'

/** `TCP/80`, `UDP/53`, `TCP/8000-8080`, `http` (named) ↔ Kubernetes ports. */
export function k8sPortToChip(p: K8sNetworkPolicyPort): string {
  const port = p.port === undefined ? '*' : String(p.port)
  const range = p.endPort !== undefined ? `${port}-${p.endPort}` : port
  return p.protocol ? `${p.protocol}/${range}` : range
}

/** Parses a chip written as `[PROTO/]port[-endPort]`. */
export function chipToK8sPort(chip: string): K8sNetworkPolicyPort {
  const m = /^(?:([A-Za-z]+)\/)?(\*|[^-]+)(?:-(\d+))?$/.exec(chip.trim())
  if (!m) return { port: chip }
  const out: K8sNetworkPolicyPort = {}
  if (m[1]) out.protocol = m[1].toUpperCase()
  if (m[2] && m[2] !== '*') out.port = /^\d+$/.test(m[2]) ? Number(m[2]) : m[2]
  if (m[3]) out.endPort = Number(m[3])
  return out
}

/** `a=b, c=d` ↔ `matchLabels`. */
export function matchLabelsText(sel: LabelSelector | undefined): string {
  return Object.entries(sel?.matchLabels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(', ')
}

/** Parses `a=b, c=d` into a label selector (`{}` selects everything). */
export function parseMatchLabels(text: string): LabelSelector {
  const matchLabels: Record<string, string> = {}
  for (const part of text.split(',')) {
    const [k, ...v] = part.split('=')
    if (k?.trim()) matchLabels[k.trim()] = v.join('=').trim()
  }
  return Object.keys(matchLabels).length ? { matchLabels } : {}
}

/** Props of {@link K8sRuleCard}. */
export interface K8sRuleCardProps {
  /** The rule's peers (`from` or `to`). */
  peers: readonly K8sNetworkPolicyPeer[] | undefined
  ports: readonly K8sNetworkPolicyPort[] | undefined
  /** `from` for ingress, `to` for egress. */
  peersField: 'from' | 'to'
  path: string
  onField: (relative: string, value: unknown) => void
}

/** One Kubernetes rule: ports and peers (pod/namespace selectors by labels, IP blocks). */
export function K8sRuleCard({ peers, ports, peersField, path, onField }: K8sRuleCardProps) {
  const list = peers ?? []
  const setPeer = (i: number, peer: K8sNetworkPolicyPeer | undefined) => {
    const next = list
      .map((p, j) => (j === i ? peer : p))
      .filter((p): p is K8sNetworkPolicyPeer => p !== undefined)
    onField(peersField, next.length ? next : undefined)
  }
  return (
    <div className="pe-rule-body">
      <Field
        label="Ports"
        path={`${path}.ports`}
        hint="TCP/80, UDP/53, TCP/8000-8080, or a named port"
      >
        <ChipsInput
          label="Ports"
          values={(ports ?? []).map(k8sPortToChip)}
          onChange={(v) => onField('ports', v.length ? v.map(chipToK8sPort) : undefined)}
        />
      </Field>
      <div className="pe-peers">
        <span className="pe-field-label">
          {peersField === 'from' ? 'From (any of)' : 'To (any of)'}
        </span>
        {list.length === 0 ? <span className="pe-hint">everyone</span> : null}
        {list.map((peer, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: peers are positional
          <div className="pe-peer" key={i}>
            {peer.ipBlock ? (
              <>
                <input
                  aria-label={`Peer ${i + 1} CIDR`}
                  value={peer.ipBlock.cidr}
                  onChange={(e) =>
                    setPeer(i, { ipBlock: { ...peer.ipBlock, cidr: e.target.value } })
                  }
                />
                <ChipsInput
                  label={`Peer ${i + 1} except`}
                  placeholder="except"
                  values={peer.ipBlock.except ?? []}
                  onChange={(v) =>
                    setPeer(i, {
                      ipBlock: {
                        cidr: peer.ipBlock?.cidr ?? '',
                        ...(v.length ? { except: v } : {}),
                      },
                    })
                  }
                />
              </>
            ) : (
              <>
                <input
                  aria-label={`Peer ${i + 1} pod labels`}
                  placeholder="pod labels a=b (empty: all pods)"
                  defaultValue={matchLabelsText(peer.podSelector)}
                  onBlur={(e) =>
                    setPeer(i, { ...peer, podSelector: parseMatchLabels(e.target.value) })
                  }
                />
                <input
                  aria-label={`Peer ${i + 1} namespace labels`}
                  placeholder="namespace labels (unset: this namespace)"
                  defaultValue={
                    peer.namespaceSelector ? matchLabelsText(peer.namespaceSelector) : ''
                  }
                  onBlur={(e) =>
                    setPeer(i, {
                      ...(peer.podSelector ? { podSelector: peer.podSelector } : {}),
                      ...(e.target.value.trim()
                        ? { namespaceSelector: parseMatchLabels(e.target.value) }
                        : {}),
                    })
                  }
                />
              </>
            )}
            <button
              type="button"
              className="btn btn-ghost btn-sm"
              aria-label={`Remove peer ${i + 1}`}
              onClick={() => setPeer(i, undefined)}
            >
              ×
            </button>
          </div>
        ))}
        <div className="pe-row-actions">
          <button
            type="button"
            className="btn btn-ghost btn-sm"
            onClick={() => onField(peersField, [...list, { podSelector: {} }])}
          >
            + Pods
          </button>
          <button
            type="button"
            className="btn btn-ghost btn-sm"
            onClick={() => onField(peersField, [...list, { ipBlock: { cidr: '0.0.0.0/0' } }])}
          >
            + IP block
          </button>
        </div>
      </div>
    </div>
  )
}
