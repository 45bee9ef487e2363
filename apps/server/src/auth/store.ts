import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto'
import type { AuditEvent, RoleBinding, TokenInfo, User } from '@policyboard/api'
import type { SqlClient, SqlValue } from '../store/index.ts'

/** SHA-256 of a secret, hex: how tokens and session ids are stored. */
export function sha256(secret: string): string {
  return createHash('sha256').update(secret).digest('hex')
}

/** A new random secret: `prefix` + 32 random bytes, base64url. */
export function newSecret(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`
}

function scryptAsync(password: string, salt: Buffer, keylen: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, keylen, { N: 16384, r: 8, p: 1 }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  )
}

/** `scrypt$N$r$p$salt$hash` (base64url) of a password. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16)
  const key = await scryptAsync(password, salt, 32)
  return `scrypt$16384$8$1$${salt.toString('base64url')}$${key.toString('base64url')}`
}

/** Whether `password` matches a stored `hashPassword` value (constant-time compare). */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$')
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false
  const salt = Buffer.from(parts[4] ?? '', 'base64url')
  const expected = Buffer.from(parts[5] ?? '', 'base64url')
  const key = await scryptAsync(password, salt, expected.length)
  return key.length === expected.length && timingSafeEqual(key, expected)
}

/** Constant-time comparison of two strings. */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

interface UserRow {
  id: number
  name: string
  password_hash: string | null
  disabled: number
  created_at: number
}

interface BindingRow {
  user_id: number
  role: string
  tiers: string | null
  namespaces: string | null
}

interface TokenRow {
  id: number
  user_id: number
  user_name: string
  name: string
  created_at: number
  last_used_at: number | null
  expires_at: number | null
  revoked_at: number | null
}

interface AuditRow {
  id: number
  at: number
  actor: string
  event: string
  outcome: string
  method: string | null
  url: string | null
  ip: string | null
  detail: string | null
}

/** A stored user with its bindings. */
export interface StoredUser {
  id: number
  name: string
  passwordHash: string | null
  disabled: boolean
  createdAt: number
  roles: RoleBinding[]
}

/** An audit event to record. */
export interface AuditInput {
  actor: string
  event: string
  outcome: 'success' | 'failure'
  method?: string | undefined
  url?: string | undefined
  ip?: string | undefined
  detail?: string | undefined
}

/** Filters of the audit log, newest first. */
export interface AuditFilter {
  event?: string | undefined
  outcome?: string | undefined
  actor?: string | undefined
  beforeId?: number | undefined
  limit: number
}

function bindingFromRow(row: BindingRow): RoleBinding {
  return {
    role: row.role as RoleBinding['role'],
    ...(row.tiers !== null ? { tiers: JSON.parse(row.tiers) as string[] } : {}),
    ...(row.namespaces !== null ? { namespaces: JSON.parse(row.namespaces) as string[] } : {}),
  }
}

function iso(ms: number | null): string | undefined {
  return ms === null ? undefined : new Date(ms).toISOString()
}

function tokenInfo(row: TokenRow): TokenInfo {
  const out: TokenInfo = {
    id: row.id,
    user: row.user_name,
    name: row.name,
    createdAt: new Date(row.created_at).toISOString(),
  }
  const last = iso(row.last_used_at)
  const exp = iso(row.expires_at)
  const rev = iso(row.revoked_at)
  if (last) out.lastUsedAt = last
  if (exp) out.expiresAt = exp
  if (rev) out.revokedAt = rev
  return out
}

/** What a session lookup finds. */
export interface SessionInfo {
  userId: number
  csrf: string
}

/**
 * Users, role bindings, API tokens, sessions and audit events, over the store's SQL client.
 * Secrets are stored only as hashes (SHA-256 for random tokens, scrypt for passwords).
 */
export class AuthStore {
  readonly db: SqlClient

  constructor(db: SqlClient) {
    this.db = db
  }

  /** Number of users. */
  async userCount(): Promise<number> {
    const row = await this.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM pb_users')
    return Number(row?.n ?? 0)
  }

  async #bindings(userIds: number[]): Promise<Map<number, RoleBinding[]>> {
    const out = new Map<number, RoleBinding[]>()
    if (userIds.length === 0) return out
    const rows = await this.db.all<BindingRow>(
      `SELECT user_id, role, tiers, namespaces FROM pb_role_bindings WHERE user_id IN (${userIds.map(() => '?').join(', ')}) ORDER BY id`,
      userIds,
    )
    for (const row of rows) {
      const list = out.get(row.user_id) ?? []
      list.push(bindingFromRow(row))
      out.set(row.user_id, list)
    }
    return out
  }

  async #withRoles(rows: UserRow[]): Promise<StoredUser[]> {
    const bindings = await this.#bindings(rows.map((r) => r.id))
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      passwordHash: r.password_hash,
      disabled: r.disabled !== 0,
      createdAt: r.created_at,
      roles: bindings.get(r.id) ?? [],
    }))
  }

  /** A user by name. */
  async userByName(name: string): Promise<StoredUser | undefined> {
    const row = await this.db.get<UserRow>('SELECT * FROM pb_users WHERE name = ?', [name])
    return row ? (await this.#withRoles([row]))[0] : undefined
  }

  /** A user by id. */
  async userById(id: number): Promise<StoredUser | undefined> {
    const row = await this.db.get<UserRow>('SELECT * FROM pb_users WHERE id = ?', [id])
    return row ? (await this.#withRoles([row]))[0] : undefined
  }

  /** Every user, by name. */
  async users(): Promise<User[]> {
    const rows = await this.db.all<UserRow>('SELECT * FROM pb_users ORDER BY name')
    return (await this.#withRoles(rows)).map((u) => ({
      name: u.name,
      roles: u.roles,
      hasPassword: u.passwordHash !== null,
      disabled: u.disabled,
      createdAt: new Date(u.createdAt).toISOString(),
    }))
  }

  /**
   * Creates the user, or replaces its roles (and password when given). `onlyIfAbsent` makes
   * creation conditional: resolves to undefined when the user already exists.
   */
  async putUser(
    name: string,
    roles: readonly RoleBinding[],
    options: { passwordHash?: string; disabled?: boolean; onlyIfAbsent?: boolean } = {},
  ): Promise<StoredUser | undefined> {
    const id = await this.db.transaction(async (tx) => {
      const existing = await tx.get<UserRow>('SELECT * FROM pb_users WHERE name = ?', [name])
      let id: number
      if (existing) {
        if (options.onlyIfAbsent) return undefined
        id = existing.id
        const sets: string[] = []
        const params: SqlValue[] = []
        if (options.passwordHash !== undefined) {
          sets.push('password_hash = ?')
          params.push(options.passwordHash)
        }
        if (options.disabled !== undefined) {
          sets.push('disabled = ?')
          params.push(options.disabled ? 1 : 0)
        }
        if (sets.length) {
          await tx.run(`UPDATE pb_users SET ${sets.join(', ')} WHERE id = ?`, [...params, id])
        }
        await tx.run('DELETE FROM pb_role_bindings WHERE user_id = ?', [id])
      } else {
        const row = await tx.get<{ id: number }>(
          'INSERT INTO pb_users (name, password_hash, disabled, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (name) DO NOTHING RETURNING id',
          [name, options.passwordHash ?? null, options.disabled ? 1 : 0, Date.now()],
        )
        if (!row) return undefined
        id = Number(row.id)
      }
      for (const b of roles) {
        await tx.run(
          'INSERT INTO pb_role_bindings (user_id, role, tiers, namespaces) VALUES (?, ?, ?, ?)',
          [
            id,
            b.role,
            b.tiers ? JSON.stringify(b.tiers) : null,
            b.namespaces ? JSON.stringify(b.namespaces) : null,
          ],
        )
      }
      if (options.disabled) {
        await tx.run('DELETE FROM pb_sessions WHERE user_id = ?', [id])
      }
      return id
    })
    return id === undefined ? undefined : this.userById(id)
  }

  /** Deletes a user, its bindings, tokens and sessions; false when absent. */
  async deleteUser(name: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const row = await tx.get<{ id: number }>('SELECT id FROM pb_users WHERE name = ?', [name])
      if (!row) return false
      for (const table of ['pb_role_bindings', 'pb_tokens', 'pb_sessions'] as const) {
        await tx.run(`DELETE FROM ${table} WHERE user_id = ?`, [row.id])
      }
      await tx.run('DELETE FROM pb_users WHERE id = ?', [row.id])
      return true
    })
  }

  /** Stores a token's hash for a user; the secret itself is never stored. */
  async addToken(
    userId: number,
    name: string,
    secret: string,
    expiresAt?: number,
  ): Promise<TokenInfo> {
    const id = await this.db.transaction(async (tx) => {
      // Replicas bootstrapping the same POLICYBOARD_ADMIN_TOKEN together store it once.
      const row = await tx.get<{ id: number }>(
        'INSERT INTO pb_tokens (user_id, name, hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (hash) DO NOTHING RETURNING id',
        [userId, name, sha256(secret), Date.now(), expiresAt ?? null],
      )
      const found =
        row ??
        (await tx.get<{ id: number }>('SELECT id FROM pb_tokens WHERE hash = ?', [sha256(secret)]))
      return Number(found?.id)
    })
    const info = await this.token(id)
    if (!info) throw new Error('token missing after insert')
    return info
  }

  /** Whether a token with this secret is stored (revoked or not). */
  async hasToken(secret: string): Promise<boolean> {
    return (
      (await this.db.get('SELECT id FROM pb_tokens WHERE hash = ?', [sha256(secret)])) !== undefined
    )
  }

  /** One token (without secret). */
  async token(id: number): Promise<TokenInfo | undefined> {
    const row = await this.db.get<TokenRow>(
      'SELECT t.id, t.user_id, u.name AS user_name, t.name, t.created_at, t.last_used_at, t.expires_at, t.revoked_at FROM pb_tokens t JOIN pb_users u ON u.id = t.user_id WHERE t.id = ?',
      [id],
    )
    return row ? tokenInfo(row) : undefined
  }

  /** Tokens of a user, or of everyone when `userId` is undefined. */
  async tokens(userId?: number): Promise<TokenInfo[]> {
    const rows = await this.db.all<TokenRow>(
      `SELECT t.id, t.user_id, u.name AS user_name, t.name, t.created_at, t.last_used_at, t.expires_at, t.revoked_at FROM pb_tokens t JOIN pb_users u ON u.id = t.user_id${userId === undefined ? '' : ' WHERE t.user_id = ?'} ORDER BY t.id`,
      userId === undefined ? [] : [userId],
    )
    return rows.map(tokenInfo)
  }

  /** Revokes a token (idempotent); false when absent. */
  async revokeToken(id: number): Promise<boolean> {
    const n = await this.db.run(
      'UPDATE pb_tokens SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?',
      [Date.now(), id],
    )
    return n > 0
  }

  /** The user of a valid (unrevoked, unexpired) token; records its use at most once a minute. */
  async userOfToken(secret: string, now: number): Promise<StoredUser | undefined> {
    const row = await this.db.get<{ id: number; user_id: number; last_used_at: number | null }>(
      'SELECT id, user_id, last_used_at FROM pb_tokens WHERE hash = ? AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)',
      [sha256(secret), now],
    )
    if (!row) return undefined
    if (row.last_used_at === null || now - row.last_used_at > 60_000) {
      await this.db.run('UPDATE pb_tokens SET last_used_at = ? WHERE id = ?', [now, row.id])
    }
    const user = await this.userById(row.user_id)
    return user && !user.disabled ? user : undefined
  }

  /** Opens a session; returns its secret id and CSRF token. */
  async createSession(userId: number, ttlMs: number): Promise<{ id: string; csrf: string }> {
    const id = newSecret('')
    const csrf = randomBytes(24).toString('base64url')
    const now = Date.now()
    await this.db.run('DELETE FROM pb_sessions WHERE expires_at <= ?', [now])
    await this.db.run(
      'INSERT INTO pb_sessions (hash, user_id, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)',
      [sha256(id), userId, csrf, now, now + ttlMs],
    )
    return { id, csrf }
  }

  /** The live session of a secret id. */
  async session(id: string, now: number): Promise<SessionInfo | undefined> {
    const row = await this.db.get<{ user_id: number; csrf: string }>(
      'SELECT user_id, csrf FROM pb_sessions WHERE hash = ? AND expires_at > ?',
      [sha256(id), now],
    )
    return row ? { userId: row.user_id, csrf: row.csrf } : undefined
  }

  /** Ends a session. */
  async deleteSession(id: string): Promise<void> {
    await this.db.run('DELETE FROM pb_sessions WHERE hash = ?', [sha256(id)])
  }

  /** Appends an audit event. */
  async audit(e: AuditInput, at: number = Date.now()): Promise<void> {
    await this.db.run(
      'INSERT INTO pb_audit_events (at, actor, event, outcome, method, url, ip, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      [
        at,
        e.actor.slice(0, 200),
        e.event,
        e.outcome,
        e.method ?? null,
        e.url?.slice(0, 2000) ?? null,
        e.ip ?? null,
        e.detail?.slice(0, 2000) ?? null,
      ],
    )
  }

  /** Audit events, newest first. */
  async auditEvents(f: AuditFilter): Promise<AuditEvent[]> {
    const where: string[] = []
    const params: SqlValue[] = []
    for (const [col, v] of [
      ['event', f.event],
      ['outcome', f.outcome],
      ['actor', f.actor],
    ] as const) {
      if (v === undefined) continue
      where.push(`${col} = ?`)
      params.push(v)
    }
    if (f.beforeId !== undefined) {
      where.push('id < ?')
      params.push(f.beforeId)
    }
    params.push(f.limit)
    const rows = await this.db.all<AuditRow>(
      `SELECT * FROM pb_audit_events${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`,
      params,
    )
    return rows.map((r) => ({
      id: Number(r.id),
      at: new Date(Number(r.at)).toISOString(),
      actor: r.actor,
      event: r.event,
      outcome: r.outcome,
      ...(r.method ? { method: r.method } : {}),
      ...(r.url ? { url: r.url } : {}),
      ...(r.ip ? { ip: r.ip } : {}),
      ...(r.detail ? { detail: r.detail } : {}),
    }))
  }
}
