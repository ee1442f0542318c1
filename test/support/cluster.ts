/**
 * Servers that share one database, for tests that fire requests at the same instant.
 * Embedded store: the in-process test server alone (one process owns the data).
 * PostgreSQL: the test server (for provisioning and reading the outcome) plus two real
 * `cli.ts serve` child processes on the same database; requests are spread over the children.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { once } from 'node:events'
import { createUser } from '../../src/server/index'
import { startTestServer, usePostgres, type TestServer } from './server'

export interface Cluster {
  /** Provisioning and direct database reads. */
  server: TestServer
  /** Where requests go: spread them with `urls[i % urls.length]`. */
  urls: string[]
  close(): Promise<void>
}

async function serveChild(databaseUrl: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/cli.ts', 'serve'], {
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: '0', HOST: '127.0.0.1', LOG: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stderr!.on('data', (d) => (output += d))
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      output += d
      const m = /listening on (http:\/\/\S+)/.exec(output)
      if (m) resolve(m[1]!)
    })
    child.once('exit', (code) => reject(new Error(`server child exited (${code}): ${output}`)))
  })
  return { url, child }
}

export async function startCluster(): Promise<Cluster> {
  const server = await startTestServer()
  if (!usePostgres()) return { server, urls: [server.url], close: () => server.close() }
  // `serve` seeds the demo world into an empty database; one user keeps both children from racing to.
  await createUser(server, { email: 'cluster@race.test', displayName: 'Cluster', password: randomUUID() })
  const children = await Promise.all([serveChild(server.databaseUrl!), serveChild(server.databaseUrl!)])
  return {
    server,
    urls: children.map((c) => c.url),
    async close() {
      await Promise.all(
        children.map(async ({ child }) => {
          if (child.exitCode !== null) return
          const exited = once(child, 'exit')
          child.kill('SIGTERM')
          await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))])
          if (child.exitCode === null) child.kill('SIGKILL')
        }),
      )
      await server.close()
    },
  }
}
