/** A small HTTP client for server tests: real requests, JSON in and out; and what a member search should answer. */
import { routes, type TokenPair } from '../../src/shared/api'
import type { RunningServer } from '../../src/server/index'
import { startTestServer } from '../support/server'

export interface Reply {
  status: number
  body: any // eslint-disable-line @typescript-eslint/no-explicit-any -- assertions read it freely
  headers: Headers
}

export function client(server: Pick<RunningServer, 'url'>) {
  async function call(method: string, path: string, opts: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
    const headers: Record<string, string> = { ...opts.headers }
    if (opts.token) headers.authorization = `Bearer ${opts.token}`
    let body: string | undefined
    if (opts.raw !== undefined) body = opts.raw
    else if (opts.body !== undefined) body = JSON.stringify(opts.body)
    if (body !== undefined) headers['content-type'] = 'application/json'
    const res = await fetch(server.url + path, { method, headers, body })
    const text = await res.text()
    return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers }
  }
  async function login(email: string, password = 'demo-password'): Promise<TokenPair> {
    const r = await call('POST', routes.login(), { body: { email, password } })
    if (r.status !== 200) throw new Error(`login ${email}: ${r.status} ${JSON.stringify(r.body)}`)
    return r.body
  }
  async function orgId(token: string, name: string): Promise<string> {
    const r = await call('GET', routes.orgs(), { token })
    const org = r.body.items.find((o: { name: string }) => o.name === name)
    if (!org) throw new Error(`no organization ${name}`)
    return org.id
  }
  return { call, login, orgId }
}

/** A server with the demo world, signed in as its admin (Dana), with Acme Corp's id. */
export async function seeded() {
  const server = await startTestServer({ seed: true })
  const api = client(server)
  const dana = (await api.login('admin@demo.test')).accessToken
  return { server, api, dana, acme: await api.orgId(dana, 'Acme Corp') }
}

/** What a plain substring filter keeps: the members whose email or name holds `term`, in any case. */
export const containing = <M extends { email: string; displayName: string }>(members: M[], term: string) =>
  members.filter((m) => [m.email, m.displayName].some((v) => v.toLowerCase().includes(term.toLowerCase())))
