import type { ApplyResponse, ApplyResult } from '@policyboard/api'
import { loadResources, type Resource, resourceKey, resourceKind } from '@policyboard/policy-core'
import { ValidationFailure } from '../errors.ts'
import { resourceIdOf, type Store, withoutServerFields } from '../store/index.ts'
import { fieldDiff } from './diff.ts'

/** Thrown inside a dry run's transaction so that it rolls back. */
class DryRunRollback extends Error {
  readonly results: ApplyResult[]
  readonly revision: number
  constructor(results: ApplyResult[], revision: number) {
    super('dry run')
    this.results = results
    this.revision = revision
  }
}

/** Parses and validates multi-document YAML (or a List) into resources, all or nothing. */
export function readResources(text: string): Resource[] {
  const loaded = loadResources(text)
  if (!loaded.ok) throw new ValidationFailure('invalid resources', loaded.errors)
  const seen = new Map<string, number>()
  const dupes = []
  for (const [i, r] of loaded.value.entries()) {
    const id = resourceIdOf(r)
    const key = `${id.kind}/${id.namespace}/${id.name}`
    const first = seen.get(key)
    if (first !== undefined) {
      dupes.push({
        code: 'INVALID_VALUE',
        message: `expected each resource once; document ${first} has the same one`,
        path: 'metadata.name',
        document: i,
      })
    }
    seen.set(key, i)
  }
  if (dupes.length) throw new ValidationFailure('duplicate resources', dupes)
  return loaded.value
}

/**
 * `r` named as the stored resource it is the same policy as: `tier.name` and `name` in the
 * same tier share one identity (`resourceKey`), so re-applying a legacy-named export is not
 * a rename. A new resource keeps the name it was given.
 */
export function sameSpelling(r: Resource, stored: Resource | undefined): Resource {
  if (!stored || stored.metadata.name === r.metadata.name) return r
  if (resourceKey(stored) !== resourceKey(r)) return r
  return { ...r, metadata: { ...r.metadata, name: stored.metadata.name } }
}

/**
 * Applies resources in one transaction (Tiers first, so policies may name a tier created by
 * the same apply). A dry run performs every write and check, then rolls back, so it reports
 * the same refusals a real apply would. A document carrying `metadata.resourceVersion` is
 * applied only if that version is still current.
 */
export async function applyResources(
  store: Store,
  resources: readonly Resource[],
  actor: string,
  dryRun: boolean,
): Promise<ApplyResponse> {
  const order = resources
    .map((r, i) => ({ r, i }))
    .sort(
      (a, b) =>
        Number(resourceKind(b.r) === 'Tier') - Number(resourceKind(a.r) === 'Tier') || a.i - b.i,
    )
  try {
    const { results, revision } = await store.write(actor, async (w) => {
      const results: ApplyResult[] = new Array(resources.length)
      for (const { r, i } of order) {
        const id = resourceIdOf(r)
        const before = await w.get(id)
        const expected = r.metadata.resourceVersion
        const put = await w.put(sameSpelling(r, before), { expectedVersion: expected })
        const diff = fieldDiff(
          before ? withoutServerFields(before) : undefined,
          withoutServerFields(put.resource),
        )
        results[i] = {
          kind: id.kind,
          ...(id.namespace ? { namespace: id.namespace } : {}),
          name: r.metadata.name,
          action:
            put.operation === 'create'
              ? 'created'
              : put.operation === 'update'
                ? 'changed'
                : 'unchanged',
          diff,
          ...(dryRun && put.operation !== 'unchanged'
            ? before?.metadata.resourceVersion
              ? { resourceVersion: before.metadata.resourceVersion }
              : {}
            : { resourceVersion: put.resource.metadata.resourceVersion ?? '' }),
        }
      }
      if (dryRun) throw new DryRunRollback(results, w.revision)
      return { results, revision: w.revision }
    })
    return { dryRun: false, results, revision: String(revision) }
  } catch (err) {
    if (err instanceof DryRunRollback) {
      return { dryRun: true, results: err.results, revision: String(await store.revision()) }
    }
    throw err
  }
}
