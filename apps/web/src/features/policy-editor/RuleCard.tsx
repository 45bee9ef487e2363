import type { Action, EntityRule, Rule, SelectorInventory } from '@policyboard/policy-core'
import { EntityRuleEditor } from './EntityRuleEditor.tsx'
import { Field } from './FieldErrors.tsx'

const ACTIONS: readonly Action[] = ['Allow', 'Deny', 'Pass', 'Log']
const PROTOCOLS = ['TCP', 'UDP', 'ICMP', 'ICMPv6', 'SCTP', 'UDPLite']

/** A protocol as typed: a known name, a number 1–255, or '' for none. */
export function parseProtocolInput(text: string): string | number | undefined {
  const t = text.trim()
  if (t === '') return undefined
  return /^\d+$/.test(t) ? Number(t) : t
}

function parseIntInput(text: string): number | undefined {
  return text.trim() === '' || Number.isNaN(Number(text)) ? undefined : Number(text)
}

/** A one-line summary of a rule, for its collapsed header. */
export function summariseRule(rule: Rule): string {
  const parts: string[] = [rule.action]
  if (rule.protocol !== undefined) parts.push(String(rule.protocol))
  if (rule.notProtocol !== undefined) parts.push(`not ${rule.notProtocol}`)
  const side = (e: EntityRule | undefined) =>
    [
      e?.selector,
      e?.namespaceSelector && `ns ${e.namespaceSelector}`,
      e?.nets?.join(', '),
      e?.ports && `ports ${e.ports.join(', ')}`,
    ]
      .filter(Boolean)
      .join(' ')
  const from = side(rule.source)
  const to = side(rule.destination)
  if (from) parts.push(`from ${from}`)
  if (to) parts.push(`to ${to}`)
  return parts.join(' ')
}

/** Props of {@link RuleCard}. */
export interface RuleCardProps {
  rule: Rule
  /** `spec.ingress[0]`. */
  path: string
  /** Sets a field of the rule by a path relative to it (`source.selector`); `undefined` removes it. */
  onField: (relative: string, value: unknown) => void
  namespace?: string
  inventory?: SelectorInventory
  namedPorts?: readonly string[]
}

/** The body of one Calico rule: action, protocol, ICMP, source and destination. */
export function RuleCard({ rule, path, onField, namespace, inventory, namedPorts }: RuleCardProps) {
  const icmp =
    rule.protocol === 'ICMP' ||
    rule.protocol === 'ICMPv6' ||
    rule.protocol === 1 ||
    rule.protocol === 58
  const protoListId = `${path}-protocols`
  const common = {
    ...(namespace ? { namespace } : {}),
    ...(inventory ? { inventory } : {}),
    ...(namedPorts ? { namedPorts } : {}),
  }
  return (
    <div className="pe-rule-body">
      <div className="pe-rule-line">
        <Field label="Action" path={`${path}.action`}>
          <select
            aria-label="Action"
            value={rule.action}
            onChange={(e) => onField('action', e.target.value)}
          >
            {ACTIONS.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Protocol" path={`${path}.protocol`}>
          <input
            aria-label="Protocol"
            list={protoListId}
            placeholder="any"
            value={rule.protocol ?? ''}
            onChange={(e) => onField('protocol', parseProtocolInput(e.target.value))}
          />
        </Field>
        <Field label="Not protocol" path={`${path}.notProtocol`}>
          <input
            aria-label="Not protocol"
            list={protoListId}
            placeholder="none"
            value={rule.notProtocol ?? ''}
            onChange={(e) => onField('notProtocol', parseProtocolInput(e.target.value))}
          />
        </Field>
        <Field label="IP version" path={`${path}.ipVersion`}>
          <select
            aria-label="IP version"
            value={rule.ipVersion ?? ''}
            onChange={(e) =>
              onField('ipVersion', e.target.value ? Number(e.target.value) : undefined)
            }
          >
            <option value="">any</option>
            <option value="4">4</option>
            <option value="6">6</option>
          </select>
        </Field>
        <datalist id={protoListId}>
          {PROTOCOLS.map((p) => (
            <option key={p} value={p} />
          ))}
        </datalist>
      </div>
      {icmp || rule.icmp ? (
        <div className="pe-rule-line">
          <Field label="ICMP type" path={`${path}.icmp.type`}>
            <input
              aria-label="ICMP type"
              type="number"
              min={0}
              max={254}
              value={rule.icmp?.type ?? ''}
              onChange={(e) => onField('icmp.type', parseIntInput(e.target.value))}
            />
          </Field>
          <Field label="ICMP code" path={`${path}.icmp.code`}>
            <input
              aria-label="ICMP code"
              type="number"
              min={0}
              max={255}
              value={rule.icmp?.code ?? ''}
              onChange={(e) => onField('icmp.code', parseIntInput(e.target.value))}
            />
          </Field>
        </div>
      ) : null}
      <div className="pe-entities">
        <EntityRuleEditor
          title="Source"
          entity={rule.source}
          path={`${path}.source`}
          onField={(f, v) => onField(`source.${f}`, v)}
          {...common}
        />
        <EntityRuleEditor
          title="Destination"
          entity={rule.destination}
          path={`${path}.destination`}
          onField={(f, v) => onField(`destination.${f}`, v)}
          {...common}
        />
      </div>
    </div>
  )
}
