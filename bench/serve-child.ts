/** The reference server on a seeded SQLite directory, in a child process (`cli.ts serve`). */
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'

/** The Node options `npm run server` gives the server (package.json): the benchmarks run it as it is run. */
export const serverNodeOptions: string[] = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { server: string } }).scripts.server
  .split(/\s+/)
  .filter((word) => word.startsWith('--'))

export async function serveInChild(dataDir: string): Promise<{ url: string; stop(): Promise<void> }> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, MAIL_DIR: `${dataDir}/mail`, PORT: '0' }
  delete env.DATABASE_URL // the seeded store is SQLite in dataDir
  const child = spawn(process.execPath, [...serverNodeOptions, '--import', 'tsx', 'src/server/cli.ts', 'serve'], { env, stdio: ['ignore', 'pipe', 'inherit'] })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const url = await new Promise<string>((resolve, reject) => {
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const m = /listening on (http\S+)/.exec(out)
      if (m) resolve(m[1]!)
    })
    void exited.then(() => reject(new Error('the server exited before listening')))
  })
  return {
    url,
    async stop() {
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
      await exited
      clearTimeout(timer)
    },
  }
}
