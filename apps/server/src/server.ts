import { buildApp } from './app.ts'
import { ConfigError, loadConfig } from './config.ts'

/** Starts Policyboard: validate the configuration, build the app, listen, close on signals. */
async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>
  try {
    config = loadConfig(process.env)
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`)
      process.exit(1)
    }
    throw err
  }
  const app = await buildApp(config)
  let closing = false
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      if (closing) return
      closing = true
      app.log.info({ signal }, 'shutting down')
      // Stop accepting, finish in-flight requests, close the database.
      app.close().then(
        () => process.exit(0),
        (err: unknown) => {
          app.log.error({ err }, 'shutdown failed')
          process.exit(1)
        },
      )
    })
  }
  await app.listen({ port: config.port, host: config.host })
  const address = app.server.address()
  const port = typeof address === 'object' && address ? address.port : config.port
  process.stdout.write(`Policyboard is running at http://${config.host}:${port}\n`)
}

main().catch((err: unknown) => {
  process.stderr.write(
    `policyboard server failed to start: ${err instanceof Error ? err.stack : String(err)}\n`,
  )
  process.exit(1)
})
