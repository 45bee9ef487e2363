/**
 * Checks that need only the resources: shadowed rules, tiers, staged twins, selector
 * forms, unconditional allows, and (with flow hits) unused policies.
 */
import { hitRefersTo } from '../flowlog/hits.ts'
import { enforcedKindOf, isStagedKind } from '../resources/names.ts'
import type { EntityRule, Rule } from '../resources/types.ts'
import type { SelectorNode } from '../selector/index.ts'
import { isTerminal, ruleCovers, stableStringify } from './covers.ts'
import { hitKindOf, type LintModel, type LintPolicy, rulesPath } from './model.ts'
import { appliesToSelector, canonical, canonicalText, parseOrUndefined } from './scope.ts'
import { LintCodes, type LintFinding, type LintInput } from './types.ts'

/** The two rule directions, with the policy type that enables each. */
export const DIRECTIONS = [
  { dir: 'ingress', type: 'Ingress' },
  { dir: 'egress', type: 'Egress' },
] as const

function governs(p: LintPolicy, type: 'Ingress' | 'Egress'): boolean {
  return p.types.includes(type)
}

function ruleLabel(p: LintPolicy, dir: string, i: number): string {
  return p.converted ? `converted ${dir} rule ${i}` : `${dir} rule ${i}`
}

/**
 * Whether policy `q` certainly applies to every endpoint `p` applies to: `q`'s composed
 * applies-to selector is a conjunction-wise weakening of `p`'s (same namespace scope, each
 * of `q`'s selectors absent/`all()` or equal to `p`'s), or both compose to the same selector.
 */
export function appliesToSuperset(q: LintPolicy, p: LintPolicy): boolean {
  const all = 'all()'
  const canon = (s: string | undefined) => (s ? canonicalText(s) : undefined)
  const qSel = canon(q.selector) ?? all
  const pSel = canon(p.selector) ?? all
  const selectorOk = qSel === all || qSel === pSel
  const saOk =
    !q.serviceAccountSelector || canon(q.serviceAccountSelector) === canon(p.serviceAccountSelector)
  if (q.namespace !== undefined) {
    if (p.namespace === q.namespace && selectorOk && saOk) return true
  } else if (!q.namespaceSelector) {
    // `p` only adds conditions (its namespace, its namespace selector) to the same selector.
    if (selectorOk && saOk) return true
  } else if (
    p.namespace === undefined &&
    canon(q.namespaceSelector) === canon(p.namespaceSelector)
  ) {
    if (selectorOk && saOk) return true
  }
  const a = appliesToSelector(q)
  const b = appliesToSelector(p)
  return a !== undefined && b !== undefined && canonical(a) === canonical(b)
}

/** SHADOWED_RULE: rules an earlier terminal rule (same policy, or an earlier policy of the tier applying to a superset) fully decides. */
export function checkShadowedRules(model: LintModel): LintFinding[] {
  const out: LintFinding[] = []
  for (const tier of model.tiers) {
    tier.policies.forEach((p, pi) => {
      for (const { dir, type } of DIRECTIONS) {
        if (!governs(p, type)) continue
        const rules = p[dir]
        rules.forEach((rule, j) => {
          let by: string | undefined
          for (let i = 0; i < j && !by; i++) {
            const earlier = rules[i] as Rule
            if (isTerminal(earlier) && ruleCovers(p, earlier, p, rule)) {
              by = `${ruleLabel(p, dir, i)} (${earlier.action}) of the same policy`
            }
          }
          if (!by && !p.staged) {
            for (const q of tier.policies.slice(0, pi)) {
              if (q.staged || !governs(q, type) || !appliesToSuperset(q, p)) continue
              const k = q[dir].findIndex((r) => isTerminal(r) && ruleCovers(q, r, p, rule))
              if (k >= 0) {
                by = `${ruleLabel(q, dir, k)} (${q[dir][k]?.action}) of ${q.ref}, which comes first in tier '${tier.name}' and applies to every endpoint this policy does`
                break
              }
            }
          }
          if (by) {
            out.push({
              code: LintCodes.SHADOWED_RULE,
              severity: 'warning',
              message: `${ruleLabel(p, dir, j)} can never match: ${by} already decides all of its traffic`,
              resource: p.ref,
              path: rulesPath(p, dir, j),
              fix: 'remove the rule, or narrow or reorder the earlier rule so this one is reached',
            })
          }
        })
      }
    })
  }
  return out
}

/** PASS_IN_LAST_TIER: Pass rules in the last tier (in evaluation order) that holds enforced policies. */
export function checkPassInLastTier(model: LintModel): LintFinding[] {
  const withPolicies = model.tiers.filter((t) => t.policies.some((p) => !p.staged))
  const last = withPolicies[withPolicies.length - 1]
  if (!last) return []
  const out: LintFinding[] = []
  for (const p of last.policies) {
    if (p.staged) continue
    for (const { dir } of DIRECTIONS) {
      p[dir].forEach((r, i) => {
        if (r.action !== 'Pass') return
        out.push({
          code: LintCodes.PASS_IN_LAST_TIER,
          severity: 'warning',
          message: `${ruleLabel(p, dir, i)} passes, but '${last.name}' is the last tier with policies: passed traffic reaches the profiles, which allow it for pods`,
          resource: p.ref,
          path: `${rulesPath(p, dir, i)}.action`,
          fix: 'use Allow or Deny to say what should happen, or add a later tier that decides this traffic',
        })
      })
    }
  }
  return out
}

/** EMPTY_TIER: declared Tier resources that no policy (enforced or staged) uses. */
export function checkEmptyTiers(model: LintModel): LintFinding[] {
  return model.tiers
    .filter((t) => t.resource && t.policies.length === 0)
    .map((t) => ({
      code: LintCodes.EMPTY_TIER,
      severity: 'info' as const,
      message: `tier '${t.name}' has no policies`,
      resource: `Tier ${t.name}`,
      path: '',
      fix: `add policies to tier '${t.name}' or delete it`,
    }))
}

/** UNDECLARED_TIER: policies in a tier that has no Tier resource and is not built in. */
export function checkUndeclaredTiers(model: LintModel): LintFinding[] {
  const out: LintFinding[] = []
  for (const t of model.tiers) {
    if (t.declared) continue
    for (const p of t.policies) {
      out.push({
        code: LintCodes.UNDECLARED_TIER,
        severity: 'warning',
        message: `tier '${t.name}' is not declared: Calico refuses the policy, and an undeclared tier sorts after every declared one`,
        resource: p.ref,
        path: 'spec.tier',
        fix: `create a Tier named '${t.name}' with an order, or move the policy to a declared tier`,
      })
    }
  }
  return out
}

/** ORDER_UNSET: policies without an order in a tier where other policies have one. */
export function checkOrderUnset(model: LintModel): LintFinding[] {
  const out: LintFinding[] = []
  for (const t of model.tiers) {
    if (!t.policies.some((p) => p.order !== undefined)) continue
    for (const p of t.policies) {
      if (p.order !== undefined) continue
      out.push({
        code: LintCodes.ORDER_UNSET,
        severity: 'warning',
        message: `no order in tier '${t.name}', where other policies have one: it is evaluated after all of them`,
        resource: p.ref,
        path: 'spec.order',
        fix: 'set spec.order to place the policy explicitly',
      })
    }
  }
  return out
}

function twinKey(p: LintPolicy): string {
  return `${p.kind}/${p.namespace ?? ''}/${p.name}`
}

/** The spec without `stagedAction`, with Calico's implied tier filled in, for comparison. */
function comparableSpec(p: LintPolicy): string {
  const spec = { ...((p.resource.spec ?? {}) as Record<string, unknown>) }
  delete spec.stagedAction
  if ('tier' in spec || !p.converted) spec.tier = p.tier
  return stableStringify(spec)
}

/** STAGED_IDENTICAL and STAGED_DELETE_NO_TWIN: staged policies against their enforced twins. */
export function checkStagedTwins(model: LintModel): LintFinding[] {
  const enforced = new Map<string, LintPolicy>()
  for (const p of model.policies) if (!p.staged) enforced.set(twinKey(p), p)
  const out: LintFinding[] = []
  for (const p of model.policies) {
    if (!p.staged || !isStagedKind(p.kind)) continue
    const twin = enforced.get(`${enforcedKindOf(p.kind)}/${p.namespace ?? ''}/${p.name}`)
    if (p.stagedAction === 'Delete') {
      if (!twin) {
        out.push({
          code: LintCodes.STAGED_DELETE_NO_TWIN,
          severity: 'warning',
          message: `staged delete of ${enforcedKindOf(p.kind)} '${p.name}', which does not exist`,
          resource: p.ref,
          path: 'spec.stagedAction',
          fix: 'delete this staged policy, or correct its name and namespace to the policy it should remove',
        })
      }
    } else if (p.stagedAction === 'Set' && twin && comparableSpec(p) === comparableSpec(twin)) {
      out.push({
        code: LintCodes.STAGED_IDENTICAL,
        severity: 'info',
        message: `staged policy is identical to the enforced ${twin.ref}: enforcing it changes nothing`,
        resource: p.ref,
        path: 'spec',
        fix: 'delete the staged policy, or make the change it was meant to stage',
      })
    }
  }
  return out
}

const SLOW_FORMS: Record<string, { form: string; fix: string }> = {
  ne: { form: '!=', fix: "select the wanted values with `k == 'v'` or `k in {…}` instead of `!=`" },
  notIn: { form: 'not in', fix: 'list the wanted values with `k in {…}` instead of `not in`' },
  not: {
    form: '!',
    fix: "select by a label the wanted endpoints carry (`has(k)`, `k == 'v'`) instead of `!`",
  },
  or: {
    form: '||',
    fix: "use `k in {'a', 'b'}` for alternatives of one label, or split the rule in two",
  },
  all: {
    form: 'all()',
    fix: 'drop the selector (with nets) if any address is meant, or select by a label',
  },
}

/** The slow forms a selector uses (node kinds: `ne`, `notIn`, `not`, `or`, `all`), in a stable order. */
export function slowForms(ast: SelectorNode, allowAll: boolean): string[] {
  const found = new Set<string>()
  const visit = (n: SelectorNode): void => {
    switch (n.kind) {
      case 'ne':
      case 'notIn':
        found.add(n.kind)
        return
      case 'all':
        if (!allowAll) found.add('all')
        return
      case 'not':
        found.add('not')
        visit(n.operand)
        return
      case 'or':
        found.add('or')
        for (const o of n.operands) visit(o)
        return
      case 'and':
        for (const o of n.operands) visit(o)
        return
      default:
        return
    }
  }
  visit(ast)
  return Object.keys(SLOW_FORMS).filter((k) => found.has(k))
}

/**
 * Whether a selector requires some label to be present, as Calico's label restrictions
 * (`LabelRestrictions` in libcalico-go's selector package) work it out: `k == v`, `k in {..}`,
 * `has(k)` and the string matches require `k`; `&&` requires what any operand requires; `||`
 * what every operand requires; negations and `all()` require nothing. Felix's label index
 * narrows a selector's candidates by such a label; without one it tests every endpoint.
 */
export function requiredLabels(ast: SelectorNode): Set<string> {
  switch (ast.kind) {
    case 'eq':
    case 'contains':
    case 'startsWith':
    case 'endsWith':
    case 'in':
    case 'has':
      return new Set([ast.label])
    case 'and': {
      const out = new Set<string>()
      for (const o of ast.operands) for (const k of requiredLabels(o)) out.add(k)
      return out
    }
    case 'or': {
      const [first, ...rest] = ast.operands.map(requiredLabels)
      const out = new Set(first ?? [])
      for (const r of rest) for (const k of out) if (!r.has(k)) out.delete(k)
      return out
    }
    default:
      return new Set()
  }
}

/**
 * SLOW_SELECTOR: rule selectors that Calico cannot index by a required label (they use
 * `!=`, `not in`, `!`, `||` or `all()` and require no label), so each is tested against every
 * endpoint.
 */
export function checkSlowSelectors(model: LintModel): LintFinding[] {
  const out: LintFinding[] = []
  for (const p of model.policies) {
    for (const { dir } of DIRECTIONS) {
      p[dir].forEach((rule, i) => {
        for (const side of ['source', 'destination'] as const) {
          const e: EntityRule | undefined = rule[side]
          if (!e) continue
          const fields: Array<[string, string | undefined, boolean]> = [
            ['selector', e.selector, false],
            ['notSelector', e.notSelector, false],
            // `all()` is the usual "any namespace" and is indexed as has(projectcalico.org/namespace).
            ['namespaceSelector', e.namespaceSelector, true],
            ['serviceAccounts.selector', e.serviceAccounts?.selector, false],
          ]
          for (const [field, text, allowAll] of fields) {
            if (!text) continue
            const ast = parseOrUndefined(text)
            if (!ast) continue
            const forms = slowForms(ast, allowAll)
            if (forms.length === 0 || requiredLabels(ast).size > 0) continue
            out.push({
              code: LintCodes.SLOW_SELECTOR,
              severity: 'info',
              message: `${field} '${text}' uses ${forms.map((f) => `\`${SLOW_FORMS[f]?.form}\``).join(', ')}, and requires no label Calico could index it by: it is tested against every endpoint`,
              resource: p.ref,
              path: p.converted ? rulesPath(p, dir, i) : `${rulesPath(p, dir, i)}.${side}.${field}`,
              fix: forms.map((f) => SLOW_FORMS[f]?.fix).join('; '),
            })
          }
        }
      })
    }
  }
  return out
}

function isUnconditional(rule: Rule): boolean {
  const empty = (e: EntityRule | undefined) => !e || Object.values(e).every((v) => v === undefined)
  return (
    rule.action === 'Allow' &&
    rule.ipVersion === undefined &&
    rule.protocol === undefined &&
    rule.notProtocol === undefined &&
    rule.icmp === undefined &&
    rule.notICMP === undefined &&
    rule.http === undefined &&
    empty(rule.source) &&
    empty(rule.destination)
  )
}

/** ALLOW_ALL_INGRESS / ALLOW_ALL_EGRESS: an unconditional Allow in a policy applying to every endpoint in its scope. */
export function checkAllowAll(model: LintModel): LintFinding[] {
  const out: LintFinding[] = []
  const orchestratorOnly = canonical(parseOrUndefined("projectcalico.org/orchestrator == 'k8s'"))
  for (const p of model.policies) {
    const sel = canonical(parseOrUndefined(p.selector))
    const selectsAll = sel === 'all()' || (p.converted && sel === orchestratorOnly)
    if (!selectsAll || p.namespaceSelector || p.serviceAccountSelector) continue
    const scope =
      p.namespace !== undefined
        ? `every pod of namespace '${p.namespace}'`
        : 'every endpoint of the cluster'
    for (const { dir, type } of DIRECTIONS) {
      if (!governs(p, type)) continue
      const i = p[dir].findIndex(isUnconditional)
      if (i < 0) continue
      out.push({
        code: type === 'Ingress' ? LintCodes.ALLOW_ALL_INGRESS : LintCodes.ALLOW_ALL_EGRESS,
        severity: 'warning',
        message: `${ruleLabel(p, dir, i)} allows all ${dir} traffic of ${scope}`,
        resource: p.ref,
        path: rulesPath(p, dir, i),
        fix: `restrict the rule by peer selector, nets, protocol or ports, or narrow spec.selector`,
      })
    }
  }
  return out
}

/** UNUSED_POLICY: enforced policies that no stored flow hit (needs `flows` or `hitCounts`). */
export function checkUnusedPolicies(model: LintModel, input: LintInput): LintFinding[] {
  if (!input.flows && !input.hitCounts) return []
  const out: LintFinding[] = []
  for (const p of model.policies) {
    if (p.staged) continue
    let hits = input.hitCounts?.[p.key] ?? 0
    if (hits === 0 && input.flows) {
      const { kind, staged } = hitKindOf(p)
      const ref = {
        kind,
        staged,
        tier: p.tier,
        name: p.name,
        ...(p.namespace !== undefined ? { namespace: p.namespace } : {}),
      }
      hits = input.flows.filter((f) => f.policyHits.some((h) => hitRefersTo(h, ref))).length
    }
    if (hits > 0) continue
    out.push({
      code: LintCodes.UNUSED_POLICY,
      severity: 'info',
      message: 'no stored flow of the window hit this policy',
      resource: p.ref,
      path: '',
      fix: 'check that its selector selects the intended endpoints, or delete the policy if it is obsolete',
    })
  }
  return out
}
