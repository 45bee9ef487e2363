export type { ConversionResult, ConvertOptions, PolicyNaming } from './kubernetes.ts'
export {
  convertKubernetesPolicy,
  KUBERNETES_POLICY_ORDER,
  k8sSelectorToCalico,
  kubernetesPolicyName,
  ORCHESTRATOR_TERM,
  simplifyPorts,
} from './kubernetes.ts'
