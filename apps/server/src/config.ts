import { resolve } from 'node:path'

/** The server's settings, read once at boot from the environment (see `.env.example`). */
export interface Config {
  /** TCP port (PORT, default 8080). */
  port: number
  /** Listen address (HOST, default 127.0.0.1). */
  host: string
  /** Directory of the SQLite file (DATA_DIR, default ./.data). */
  dataDir: string
  /** PostgreSQL URL (DATABASE_URL); SQLite when unset. */
  databaseUrl: string | undefined
  /** PostgreSQL schema (DATABASE_SCHEMA), default the connection's search path. */
  databaseSchema: string | undefined
  /** Load the demo cluster into an empty store (POLICYBOARD_DEMO, default true). */
  demo: boolean
  /** pino level (LOG_LEVEL, default info). */
  logLevel: string
  /** Flow-log records older than this many days are pruned (FLOW_RETENTION_DAYS, default 30; 0 keeps all). */
  flowRetentionDays: number
  /** Built web app to serve (WEB_DIST, default ../web/dist next to this app). */
  webDist: string
  /** Largest JSON/YAML request body in bytes (BODY_LIMIT, default 10 MiB); flow-log ingestion streams and has no limit. */
  bodyLimit: number
  /** A known admin API token (POLICYBOARD_ADMIN_TOKEN, at least 16 characters); on first start without it, one is generated and logged once. */
  adminToken: string | undefined
  /** Password of the bootstrap user `admin` (POLICYBOARD_ADMIN_PASSWORD, at least 12 characters), set at every start when given. */
  adminPassword: string | undefined
  /** Secure flag of the session cookie (COOKIE_SECURE: auto = when the request came over TLS, true, false; default auto). */
  cookieSecure: 'auto' | 'true' | 'false'
  /** Trust X-Forwarded-* from a reverse proxy (TRUST_PROXY, default false): needed for `auto` cookies and client addresses behind TLS termination. */
  trustProxy: boolean
  /** Lifetime of a web session in hours (SESSION_TTL_HOURS, default 12). */
  sessionTtlHours: number
  /** Login attempts per client address per minute (LOGIN_RATE_LIMIT, default 10). */
  loginRateLimit: number
  /** API requests per credential (or client address) per minute (API_RATE_LIMIT, default 3000). */
  apiRateLimit: number
}

/** Raised at boot when the environment is invalid; lists every problem. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError'
  readonly problems: string[]

  constructor(problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`)
    this.problems = problems
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']

/**
 * Reads and validates the configuration from an environment map, with defaults.
 * @throws ConfigError naming every invalid variable
 */
export function loadConfig(
  env: Record<string, string | undefined>,
  cwd: string = process.cwd(),
): Config {
  const problems: string[] = []
  function int(name: string, fallback: number, min: number, max: number): number {
    const raw = env[name]
    if (raw === undefined || raw === '') return fallback
    const n = Number(raw)
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name}: expected an integer from ${min} to ${max}, got '${raw}'`)
      return fallback
    }
    return n
  }
  function bool(name: string, fallback: boolean): boolean {
    const raw = env[name]?.toLowerCase()
    if (raw === undefined || raw === '') return fallback
    if (['true', '1', 'yes'].includes(raw)) return true
    if (['false', '0', 'no'].includes(raw)) return false
    problems.push(`${name}: expected true or false, got '${env[name]}'`)
    return fallback
  }
  const databaseUrl = env.DATABASE_URL || undefined
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push(`DATABASE_URL: expected a postgres:// URL`)
  }
  const databaseSchema = env.DATABASE_SCHEMA || undefined
  if (databaseSchema && !/^[a-z_][a-z0-9_]*$/.test(databaseSchema)) {
    problems.push('DATABASE_SCHEMA: expected a lowercase identifier')
  }
  const logLevel = env.LOG_LEVEL || 'info'
  if (!LOG_LEVELS.includes(logLevel)) {
    problems.push(`LOG_LEVEL: expected one of ${LOG_LEVELS.join(', ')}, got '${logLevel}'`)
  }
  const config: Config = {
    port: int('PORT', 8080, 0, 65535),
    host: env.HOST || '127.0.0.1',
    dataDir: resolve(cwd, env.DATA_DIR || './.data'),
    databaseUrl,
    databaseSchema,
    demo: bool('POLICYBOARD_DEMO', true),
    logLevel,
    flowRetentionDays: int('FLOW_RETENTION_DAYS', 30, 0, 36500),
    webDist: env.WEB_DIST
      ? resolve(cwd, env.WEB_DIST)
      : resolve(new URL('../../web/dist', import.meta.url).pathname),
    bodyLimit: int('BODY_LIMIT', 10 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    adminToken: undefined,
    adminPassword: undefined,
    cookieSecure: 'auto',
    trustProxy: bool('TRUST_PROXY', false),
    sessionTtlHours: int('SESSION_TTL_HOURS', 12, 1, 24 * 30),
    loginRateLimit: int('LOGIN_RATE_LIMIT', 10, 1, 100_000),
    apiRateLimit: int('API_RATE_LIMIT', 3000, 1, 10_000_000),
  }
  const adminToken = env.POLICYBOARD_ADMIN_TOKEN || undefined
  if (adminToken !== undefined && adminToken.length < 16) {
    problems.push('POLICYBOARD_ADMIN_TOKEN: expected at least 16 characters')
  }
  const adminPassword = env.POLICYBOARD_ADMIN_PASSWORD || undefined
  if (adminPassword !== undefined && adminPassword.length < 12) {
    problems.push('POLICYBOARD_ADMIN_PASSWORD: expected at least 12 characters')
  }
  const cookieSecure = (env.COOKIE_SECURE || 'auto').toLowerCase()
  if (cookieSecure !== 'auto' && cookieSecure !== 'true' && cookieSecure !== 'false') {
    problems.push(`COOKIE_SECURE: expected auto, true or false, got '${env.COOKIE_SECURE}'`)
  }
  config.adminToken = adminToken
  config.adminPassword = adminPassword
  config.cookieSecure = cookieSecure as Config['cookieSecure']
  if (problems.length) throw new ConfigError(problems)
  return config
}
