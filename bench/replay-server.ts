/**
 * The floor of the sync measurement (bench/server.ts): a server in its own process that does no
 * work per row, answering each page with the bytes the real server sent for that URL before.
 *   tsx bench/replay-server.ts PAGES.json   (a JSON object: request URL → response body)
 */
import http from 'node:http'
import { readFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'

const captured = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as Record<string, string>
const pages = new Map(Object.entries(captured).map(([url, text]) => [url, Buffer.from(text)]))
const server = http.createServer((req, res) => {
  const body = pages.get(req.url ?? '')
  res.writeHead(body ? 200 : 404, { 'content-type': 'application/json; charset=utf-8', 'content-length': body?.length ?? 0 })
  res.end(body)
})
server.listen(0, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`))
process.on('SIGTERM', () => server.close(() => process.exit(0)))
