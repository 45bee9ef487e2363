/**
 * The editor's state: one policy value (the source of truth) and the YAML text shown
 * beside it. A form edit replaces the policy and reprints the YAML; a YAML edit keeps the
 * text as typed and, when it reads back as a valid policy, replaces the policy; otherwise
 * the policy stays at its last valid state and the diagnostics say why.
 */
import {
  type PolicyError,
  type PolicyResource,
  parsePolicyYaml,
  printPolicyYaml,
  validateResource,
  type YamlDiagnostic,
} from '@policyboard/policy-core'

/** Everything the editor page renders from. */
export interface EditorState {
  /** The policy being edited: what the form shows and what is saved. */
  policy: PolicyResource
  /** The YAML pane's text: printed from `policy`, or as the user is typing it. */
  yaml: string
  /** Problems of the YAML text when it does not read back as a policy; empty otherwise. */
  yamlDiagnostics: YamlDiagnostic[]
  /** Validation problems of `policy` itself, shown at their fields. */
  errors: PolicyError[]
  /** True once the policy differs from what was loaded. */
  dirty: boolean
}

/** What can happen to the editor. */
export type EditorAction =
  | { type: 'load'; policy: PolicyResource }
  | { type: 'edit'; policy: PolicyResource }
  | { type: 'yaml'; text: string }
  | { type: 'yamlBlur' }

/** The validation problems of a policy (empty when it is valid). */
export function policyErrors(policy: PolicyResource): PolicyError[] {
  const r = validateResource(policy)
  return r.ok ? [] : r.errors
}

/** The state for a freshly loaded (or created) policy. */
export function initEditorState(policy: PolicyResource): EditorState {
  return {
    policy,
    yaml: printPolicyYaml(policy),
    yamlDiagnostics: [],
    errors: policyErrors(policy),
    dirty: false,
  }
}

/** The editor's reducer: pure, so the form↔YAML contract is tested without React. */
export function editorReducer(state: EditorState, action: EditorAction): EditorState {
  switch (action.type) {
    case 'load':
      return initEditorState(action.policy)
    case 'edit':
      return {
        policy: action.policy,
        yaml: printPolicyYaml(action.policy),
        yamlDiagnostics: [],
        errors: policyErrors(action.policy),
        dirty: true,
      }
    case 'yaml': {
      if (action.text === state.yaml) return state
      const read = parsePolicyYaml(action.text)
      if (!read.ok) return { ...state, yaml: action.text, yamlDiagnostics: read.diagnostics }
      return {
        policy: read.policy,
        yaml: action.text,
        yamlDiagnostics: [],
        errors: [],
        dirty: true,
      }
    }
    case 'yamlBlur':
      // Once the user leaves the YAML pane, valid text is reprinted in canonical form.
      return state.yamlDiagnostics.length > 0
        ? state
        : { ...state, yaml: printPolicyYaml(state.policy) }
  }
}

/** The errors at one field path (exact match), for showing beside that field. */
export function errorsAt(errors: readonly PolicyError[], path: string): PolicyError[] {
  return errors.filter((e) => e.path === path)
}

/** The errors at a path or below it (`spec.ingress[0]` covers `spec.ingress[0].action`). */
export function errorsUnder(errors: readonly PolicyError[], path: string): PolicyError[] {
  return errors.filter(
    (e) => e.path === path || e.path.startsWith(`${path}.`) || e.path.startsWith(`${path}[`),
  )
}
