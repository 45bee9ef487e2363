import type { BoardTier } from '@policyboard/api'
import { Button, Dialog, ErrorMessage } from '../../components/index.ts'
import { useDeleteTier } from './useBoardMutations.ts'

/** Confirms deleting a tier; the server refuses a tier that still has policies. */
export function DeleteTierDialog({ tier, onClose }: { tier: BoardTier; onClose: () => void }) {
  const del = useDeleteTier()
  return (
    <Dialog
      title={`Delete tier ${tier.name}?`}
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button
            variant="danger"
            disabled={del.isPending}
            onClick={() =>
              del.mutate(
                { name: tier.name, resourceVersion: tier.resourceVersion },
                { onSuccess: onClose },
              )
            }
          >
            Delete tier
          </Button>
        </>
      }
    >
      <p>
        {tier.policies.length > 0
          ? `The tier still holds ${tier.policies.length} policies; move or delete them first.`
          : 'The tier is empty. Deleting it is recorded in the history and can be rolled back.'}
      </p>
      {del.error ? <ErrorMessage title="The server refused" error={del.error} /> : null}
    </Dialog>
  )
}
