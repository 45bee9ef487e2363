// The resources area: validation, defaulting, naming and YAML in and out.

export type { ParsedCidr } from './cidr.ts'
export {
  cidrContains,
  parseCidr,
  parseIP,
} from './cidr.ts'
export { SERVER_METADATA_FIELDS } from './metadata.ts'
export type { EnforcedKind, NamingModel, StagedKind } from './names.ts'
export {
  BUILTIN_TIERS,
  bareName,
  DEFAULT_TIER,
  enforcedKindOf,
  isPolicyKind,
  isPreformattedPolicyName,
  isStagedKind,
  legacyName,
  policyTier,
  renameForModel,
  resourceKey,
  stagedKindOf,
} from './names.ts'
export {
  isNumericPort,
  isValidPortName,
  PROTOCOL_NUMBERS,
  parsePort,
  parseProtocol,
  protocolNumber,
  protocolSupportsPorts,
} from './ports.ts'
export type { DocumentWhere } from './validate.ts'
export {
  CALICO_RESOURCE_KINDS,
  loadResources,
  validateResource,
  validateResources,
} from './validate.ts'
export { defaultPolicyTypes } from './validate-policy.ts'
export type { PrintOptions, RawDocument, YamlLimits } from './yaml.ts'
export {
  DEFAULT_YAML_LIMITS,
  parseYamlDocuments,
  printResource,
  printResources,
} from './yaml.ts'
