import type { EntityRule, Port, SelectorInventory } from '@policyboard/policy-core'
import { ChipsInput } from './ChipsInput.tsx'
import { Field } from './FieldErrors.tsx'
import { SelectorBuilder } from './SelectorBuilder.tsx'

/** Ports as chips: numbers stay numbers, ranges (`80:90`) and named ports stay strings. */
export function portsToChips(ports: readonly Port[] | undefined): string[] {
  return (ports ?? []).map(String)
}

/** Chips back to ports: a plain decimal is a number, anything else is kept as written. */
export function chipsToPorts(chips: readonly string[]): Port[] | undefined {
  if (chips.length === 0) return undefined
  return chips.map((c) => (/^\d+$/.test(c) ? Number(c) : c))
}

function list(values: string[]): string[] | undefined {
  return values.length ? values : undefined
}

/** Props of {@link EntityRuleEditor}. */
export interface EntityRuleEditorProps {
  /** The source or destination being edited (absent: matches everything). */
  entity: EntityRule | undefined
  /** `spec.ingress[0].source` etc., for errors and field names. */
  path: string
  /** "Source" or "Destination". */
  title: string
  /** Sets one field of the entity (`undefined` removes it). */
  onField: (
    field: keyof EntityRule | 'serviceAccounts.names' | 'serviceAccounts.selector',
    value: unknown,
  ) => void
  /** The policy's namespace: rule selectors of a namespaced policy are scoped to it. */
  namespace?: string
  inventory?: SelectorInventory
  /** Named ports of the inventory, offered for ports. */
  namedPorts?: readonly string[]
}

/** One side of a Calico rule: selectors, nets, ports, service accounts. */
export function EntityRuleEditor({
  entity,
  path,
  title,
  onField,
  namespace,
  inventory,
  namedPorts,
}: EntityRuleEditorProps) {
  const e = entity ?? {}
  // In a namespaced policy, a selector without a namespaceSelector only sees its own namespace.
  const scopedNs = e.namespaceSelector === undefined ? namespace : undefined
  return (
    <fieldset className="pe-entity" data-testid={`rule.${title.toLowerCase()}`}>
      <legend>{title}</legend>
      <Field label="Selector">
        <SelectorBuilder
          label={`${title} selector`}
          value={e.selector}
          onChange={(v) => onField('selector', v)}
          subject="endpoint"
          path={`${path}.selector`}
          {...(scopedNs ? { namespace: scopedNs } : {})}
          {...(inventory ? { inventory } : {})}
        />
      </Field>
      <Field label="Namespace selector">
        <SelectorBuilder
          label={`${title} namespace selector`}
          value={e.namespaceSelector}
          onChange={(v) => onField('namespaceSelector', v)}
          subject="namespace"
          path={`${path}.namespaceSelector`}
          {...(inventory ? { inventory } : {})}
        />
      </Field>
      <Field label="Nets" path={`${path}.nets`}>
        <ChipsInput
          label={`${title} nets`}
          values={e.nets ?? []}
          onChange={(v) => onField('nets', list(v))}
          placeholder="10.0.0.0/8"
        />
      </Field>
      <Field label="Ports" path={`${path}.ports`} hint="number, range 80:90, or named port">
        <ChipsInput
          label={`${title} ports`}
          values={portsToChips(e.ports)}
          onChange={(v) => onField('ports', chipsToPorts(v))}
          placeholder="443"
          {...(namedPorts ? { suggestions: namedPorts } : {})}
        />
      </Field>
      <details
        className="pe-more"
        open={
          e.notSelector !== undefined ||
          e.notNets !== undefined ||
          e.notPorts !== undefined ||
          e.serviceAccounts !== undefined
        }
      >
        <summary>Not-selector, not-nets, not-ports, service accounts</summary>
        <Field label="Not selector">
          <SelectorBuilder
            label={`${title} not selector`}
            value={e.notSelector}
            onChange={(v) => onField('notSelector', v)}
            subject="endpoint"
            path={`${path}.notSelector`}
            {...(inventory ? { inventory } : {})}
          />
        </Field>
        <Field label="Not nets" path={`${path}.notNets`}>
          <ChipsInput
            label={`${title} not nets`}
            values={e.notNets ?? []}
            onChange={(v) => onField('notNets', list(v))}
          />
        </Field>
        <Field label="Not ports" path={`${path}.notPorts`}>
          <ChipsInput
            label={`${title} not ports`}
            values={portsToChips(e.notPorts)}
            onChange={(v) => onField('notPorts', chipsToPorts(v))}
          />
        </Field>
        <Field label="Service account names" path={`${path}.serviceAccounts.names`}>
          <ChipsInput
            label={`${title} service account names`}
            values={e.serviceAccounts?.names ?? []}
            onChange={(v) => onField('serviceAccounts.names', list(v))}
          />
        </Field>
        <Field label="Service account selector">
          <SelectorBuilder
            label={`${title} service account selector`}
            value={e.serviceAccounts?.selector}
            onChange={(v) => onField('serviceAccounts.selector', v)}
            subject="serviceAccount"
            path={`${path}.serviceAccounts.selector`}
            {...(inventory ? { inventory } : {})}
          />
        </Field>
      </details>
    </fieldset>
  )
}
