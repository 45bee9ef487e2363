import type { BoardTier } from '@policyboard/api'
import { type FormEvent, useId, useState } from 'react'
import { Button, Dialog, ErrorMessage } from '../../components/index.ts'
import { between } from './board-model.ts'
import { type TierInput, useSaveTier } from './useBoardMutations.ts'

const NAME_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/

/** The order that places a new tier right after `tiers[index]` (before the next one). */
export function orderAfter(tiers: readonly BoardTier[], index: number): number {
  const lo = tiers[index]?.order ?? null
  const hi = tiers[index + 1]?.order ?? null
  if (lo === null) return hi === null ? 100 : hi > 100 ? between(0, hi) : hi - 100
  if (hi === null) return lo + 100
  return between(lo, hi)
}

/** Create or edit a tier: name (create only), order, default action. */
export function TierDialog({
  tier,
  tiers,
  onClose,
}: {
  /** The tier to edit; absent to create one. */
  tier?: BoardTier
  /** All tiers in evaluation order, to offer positions. */
  tiers: readonly BoardTier[]
  onClose: () => void
}) {
  const isNew = !tier
  const ids = { name: useId(), order: useId(), action: useId(), pos: useId() }
  const [name, setName] = useState(tier?.name ?? '')
  const [order, setOrder] = useState(tier?.order != null ? String(tier.order) : '')
  const [defaultAction, setDefaultAction] = useState<'Deny' | 'Pass'>(tier?.defaultAction ?? 'Deny')
  const [localError, setLocalError] = useState('')
  const save = useSaveTier()

  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (!NAME_RE.test(name)) {
      setLocalError(
        'name: expected lowercase letters, digits and dashes, starting and ending with a letter or digit',
      )
      return
    }
    const parsed = order.trim() === '' ? null : Number(order)
    if (parsed !== null && !Number.isFinite(parsed)) {
      setLocalError('order: expected a number, or empty for "after every ordered tier"')
      return
    }
    setLocalError('')
    const input: TierInput = { name, order: parsed, defaultAction }
    if (tier?.resourceVersion) input.resourceVersion = tier.resourceVersion
    save.mutate({ input, isNew }, { onSuccess: onClose })
  }

  return (
    <Dialog
      title={isNew ? 'New tier' : `Edit tier ${tier.name}`}
      onClose={onClose}
      testId="tier-dialog"
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="primary" type="submit" form="tier-form" disabled={save.isPending}>
            {save.isPending ? 'Saving…' : isNew ? 'Create tier' : 'Save'}
          </Button>
        </>
      }
    >
      <form id="tier-form" className="form" onSubmit={submit}>
        <label htmlFor={ids.name}>Name</label>
        <input
          id={ids.name}
          value={name}
          disabled={!isNew}
          onChange={(e) => setName(e.target.value)}
          placeholder="security"
          autoComplete="off"
        />
        <label htmlFor={ids.pos}>Position</label>
        <select
          id={ids.pos}
          value=""
          onChange={(e) => {
            const i = Number(e.target.value)
            setOrder(String(i < 0 ? orderAfter(tiers, -1) : orderAfter(tiers, i)))
          }}
        >
          <option value="" disabled>
            Pick a place to fill in the order…
          </option>
          <option value={-1}>First (before {tiers[0]?.name ?? 'every tier'})</option>
          {tiers.map((t, i) => (
            <option key={t.name} value={i}>
              After {t.name}
              {t.order !== null ? ` (${t.order})` : ''}
            </option>
          ))}
        </select>
        <label htmlFor={ids.order}>Order</label>
        <input
          id={ids.order}
          inputMode="decimal"
          value={order}
          onChange={(e) => setOrder(e.target.value)}
          placeholder="empty: after every ordered tier"
        />
        <label htmlFor={ids.action}>Default action</label>
        <select
          id={ids.action}
          value={defaultAction}
          onChange={(e) => setDefaultAction(e.target.value as 'Deny' | 'Pass')}
        >
          <option value="Deny">Deny — end-of-tier deny</option>
          <option value="Pass">Pass — continue to the next tier</option>
        </select>
      </form>
      {localError ? <ErrorMessage title="Check the form" error={new Error(localError)} /> : null}
      {save.error ? <ErrorMessage title="The server refused the tier" error={save.error} /> : null}
    </Dialog>
  )
}
