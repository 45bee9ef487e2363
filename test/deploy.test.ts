import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'

const root = new URL('../', import.meta.url)
const read = (path: string) => readFileSync(new URL(path, root), 'utf8')

interface ComposeService {
  build?: { context?: string; dockerfile?: string; target?: string }
  image?: string
  environment?: Record<string, string>
  ports?: string[]
  depends_on?: Record<string, { condition?: string }>
  healthcheck?: { test?: string[]; interval?: string; retries?: number }
  volumes?: string[]
}

const compose = parse(read('docker-compose.yml')) as {
  services: Record<string, ComposeService>
  volumes: Record<string, unknown>
}
const dockerfile = read('Dockerfile')
const stages = [...dockerfile.matchAll(/^FROM\s+\S+\s+AS\s+(\S+)/gim)].map((m) => m[1])

describe('docker-compose.yml', () => {
  it('has the server and postgres services', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['postgres', 'server'])
  })

  it('builds the server from a Dockerfile stage that exists', () => {
    const build = compose.services.server?.build
    expect(build?.dockerfile).toBe('Dockerfile')
    expect(stages).toContain(build?.target)
  })

  it('points the server at the postgres service and publishes its port', () => {
    const server = compose.services.server
    expect(server?.environment?.DATABASE_URL).toMatch(/^postgres:\/\/[^@]+@postgres:5432\//)
    expect(server?.ports).toContain('8080:8080')
    expect(server?.depends_on?.postgres?.condition).toBe('service_healthy')
  })

  it('health-checks both services, the server on /healthz', () => {
    expect(compose.services.server?.healthcheck?.test?.join(' ')).toContain('/healthz')
    expect(compose.services.postgres?.healthcheck?.test?.join(' ')).toContain('pg_isready')
  })

  it('keeps postgres data in a named volume', () => {
    const mount = compose.services.postgres?.volumes?.[0] ?? ''
    const volume = mount.split(':')[0] ?? ''
    expect(Object.keys(compose.volumes)).toContain(volume)
  })
})

describe('Dockerfile', () => {
  it('is multi-stage and builds the web app before the runtime stage', () => {
    expect(stages).toEqual(['base', 'deps', 'build', 'runtime'])
    expect(dockerfile).toMatch(/pnpm --filter @policyboard\/web build/)
  })

  it('runs as a non-root user with a /healthz healthcheck', () => {
    const runtime = dockerfile.slice(dockerfile.indexOf('AS runtime'))
    expect(runtime).toMatch(/^USER node$/m)
    expect(runtime).toMatch(/^HEALTHCHECK .*\n?.*\/healthz/m)
  })

  it('copies the manifest of every workspace package before installing', () => {
    const workspace = parse(read('pnpm-workspace.yaml')) as { packages: string[] }
    expect(workspace.packages).toEqual(['apps/*', 'packages/*', 'e2e'])
    for (const pkg of [
      'packages/policy-core',
      'packages/api',
      'apps/server',
      'apps/web',
      'apps/cli',
      'e2e',
    ]) {
      expect(dockerfile).toContain(`COPY ${pkg}/package.json ${pkg}/`)
    }
  })
})
