import { describe, expect, it } from 'vitest'
import { nameAggr } from './names.ts'

describe('nameAggr', () => {
  const ROWS: Array<[string, string | undefined, string]> = [
    ['nginx-86c57db685-x7k2p', undefined, 'nginx-86c57db685-*'], // Deployment pod
    ['frontend-7d9c6b5f48-q2w4z', undefined, 'frontend-7d9c6b5f48-*'],
    ['calico-node-8xk2d', undefined, 'calico-node-*'], // DaemonSet pod
    ['web-0', undefined, 'web-0'], // StatefulSet pod keeps its name
    ['redis-cart', undefined, 'redis-cart'], // a bare pod
    ['api-server-abcde', undefined, 'api-server-abcde'], // vowels: a word, not a suffix
    ['db-2bcdf9', undefined, 'db-2bcdf9'], // six characters: not a suffix
    ['standalone', undefined, 'standalone'],
    ['x7k2p', undefined, 'x7k2p'], // no dash
    ['coredns-abc12-zzzzz', 'coredns-abc12-', 'coredns-abc12-*'], // generateName wins
    ['anything', 'job-', 'job-*'],
  ]
  it.each(ROWS)('%s (generateName %s) → %s', (name, generateName, want) => {
    expect(nameAggr(name, generateName)).toBe(want)
  })
})
