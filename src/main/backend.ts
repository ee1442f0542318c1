/**
 * The embedded demo server as a backend like any other: main talks to it over HTTP on
 * loopback. It runs in its own process, so SQL never stalls main's IPC: a Node child here
 * (harness, `npm start` in development), an Electron utility process when packaged (that
 * adapter lives in index.ts). Only start / ready / stop cross the boundary (server/child.ts).
 */
import { fork } from 'node:child_process'
import type { FromServer, ToServer } from '../server/child'

export interface EmbeddedServer {
  url: string
  /** Ask, wait with a deadline, then kill. */
  stop(): Promise<void>
}

/** Starts the seeded embedded server on `port` (0: any free port). */
export type ServerHost = (opts: { dataDir: string; port: number }) => Promise<EmbeddedServer>

/** The parent's side of a server process, whatever runs it. */
export interface ServerProcess {
  send(msg: ToServer): void
  onMessage(cb: (msg: FromServer) => void): void
  onExit(cb: (code: number | null) => void): void
  kill(): void
}

export class ServerStartError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message)
  }
}

export function inChild(spawnServer: () => ServerProcess, stopDeadlineMs = 5000): ServerHost {
  return (opts) =>
    new Promise((resolve, reject) => {
      const child = spawnServer()
      let markExited!: () => void
      const exited = new Promise<void>((done) => (markExited = done))
      child.onExit((code) => {
        markExited()
        reject(new ServerStartError(`the embedded server exited (${code}) before it was ready`))
      })
      child.onMessage((msg) => {
        if (msg.type === 'failed') return reject(new ServerStartError(msg.message, msg.code))
        resolve({
          url: msg.url,
          async stop() {
            child.send({ type: 'stop' })
            let timer: NodeJS.Timeout | undefined
            const late = new Promise<'late'>((r) => (timer = setTimeout(() => r('late'), stopDeadlineMs)))
            if ((await Promise.race([exited, late])) === 'late') {
              child.kill()
              await exited
            }
            clearTimeout(timer)
          },
        })
      })
      child.send({ type: 'start', ...opts })
    })
}

/** A Node child over `child_process.fork` (IPC channel); `execPath` picks another Node. */
export function nodeChild(entry: string, opts: { execPath?: string; execArgv?: string[] } = {}): () => ServerProcess {
  return () => {
    const child = fork(entry, [], { execPath: opts.execPath, execArgv: opts.execArgv ?? [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
    return {
      // A child that already exited has no channel left; its exit was reported.
      send: (msg) => void (child.connected && child.send(msg)),
      onMessage: (cb) => void child.on('message', (m) => cb(m as FromServer)),
      onExit: (cb) => void child.once('exit', (code) => cb(code)),
      kill: () => void child.kill('SIGKILL'),
    }
  }
}
