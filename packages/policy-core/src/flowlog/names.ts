/**
 * The characters Kubernetes uses for random name suffixes (no vowels, no easily confused
 * digits), so that a generated suffix can be told from a word.
 */
const RANDOM_SUFFIX = /^[bcdfghjklmnpqrstvwxz2456789]{5}$/

/**
 * The aggregated name a flow log gives a pod: `<generateName>*` when the pod was created by a
 * controller, else the pod name itself. Pass `generateName` when it is known (it is what
 * Calico uses); otherwise it is inferred from the name: a last segment that looks like a
 * Kubernetes random suffix (five characters from its alphabet) is replaced by `*`, which
 * covers Deployment pods (`<deployment>-<hash>-<suffix>`), DaemonSet and Job pods.
 * StatefulSet pods (`web-0`) keep their name.
 *
 * @example nameAggr('nginx-86c57db685-x7k2p') // 'nginx-86c57db685-*'
 * @example nameAggr('web-0') // 'web-0'
 */
export function nameAggr(podName: string, generateName?: string): string {
  if (generateName) return `${generateName}*`
  const dash = podName.lastIndexOf('-')
  if (dash <= 0) return podName
  return RANDOM_SUFFIX.test(podName.slice(dash + 1)) ? `${podName.slice(0, dash + 1)}*` : podName
}
