/**
 * The embedded server's process (a Node child, or an Electron utility process when
 * packaged): the desktop app's main process never runs SQL on its own event loop. Only
 * start, ready and stop cross the boundary; the app then talks HTTP on loopback as to any
 * server.
 */
import { dirname, join } from 'node:path'
import { startServer, type RunningServer } from './index'

export type ToServer = { type: 'start'; dataDir: string; port: number } | { type: 'stop' }
export type FromServer = { type: 'ready'; url: string } | { type: 'failed'; message: string; code?: string }

/** Electron's utility process has `parentPort`; a Node child forked with IPC has `send`. */
interface ParentPort {
  on(event: 'message', cb: (e: { data: unknown }) => void): void
  postMessage(msg: unknown): void
}
const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort
const send = (msg: FromServer) => (parentPort ? parentPort.postMessage(msg) : process.send?.(msg))
const onMessage = (cb: (msg: ToServer) => void) =>
  parentPort ? parentPort.on('message', (e) => cb(e.data as ToServer)) : process.on('message', (m) => cb(m as ToServer))

let server: RunningServer | null = null
onMessage((msg) => {
  if (msg.type === 'start') {
    // No mail server needed: the demo's email lands as .eml files beside its data (README: "Reading the demo's email").
    const mail = { dir: join(dirname(msg.dataDir), 'demo-mail') }
    startServer({ dataDir: msg.dataDir, seed: true, port: msg.port, mail, dnsServer: process.env.DNS_SERVER }).then(
      (s) => {
        server = s
        send({ type: 'ready', url: s.url })
      },
      (err: NodeJS.ErrnoException) => {
        send({ type: 'failed', message: err.message, code: err.code })
        process.exit(1)
      },
    )
  } else {
    // Closing lets in-flight transactions finish and checkpoints SQLite's log.
    void (server?.close() ?? Promise.resolve()).finally(() => process.exit(0))
  }
})
