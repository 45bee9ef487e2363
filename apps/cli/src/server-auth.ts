/**
 * Credentials for commands that talk to a server (`--server URL`): an API token from
 * `--token TOKEN` or the environment variable POLICYBOARD_TOKEN, sent as
 * `Authorization: Bearer <token>`. The token is never printed.
 */

let commandToken: string | undefined

/**
 * Removes `--token TOKEN` (or `--token=TOKEN`) from the arguments and remembers it for
 * {@link authHeaders}; without the flag, POLICYBOARD_TOKEN is used.
 * @returns the remaining arguments
 */
export function takeToken(
  argv: readonly string[],
  env: Record<string, string | undefined> = process.env,
): string[] {
  const rest: string[] = []
  let token: string | undefined
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string
    if (a === '--token') token = argv[++i]
    else if (a.startsWith('--token=')) token = a.slice('--token='.length)
    else rest.push(a)
  }
  commandToken = token || env.POLICYBOARD_TOKEN || undefined
  return rest
}

/** The Authorization header of the running command's token (empty without one). */
export function authHeaders(): Record<string, string> {
  return commandToken ? { authorization: `Bearer ${commandToken}` } : {}
}
