/** The embedded server in the test's own process: the in-process twin of backend.ts's child. */
import type { ServerHost } from '../../src/main/backend'
import { startServer } from '../../src/server/index'

export const inProcess: ServerHost = async ({ dataDir, port }) => {
  const server = await startServer({ dataDir, seed: true, port })
  return { url: server.url, stop: () => server.close() }
}
