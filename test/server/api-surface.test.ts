/** Trusted domains, workspaces, activity, billing, the one error shape, and the OpenAPI document. */
import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { activityPageSchema, billingSummarySchema, routes, workspaceListSchema } from '../../src/shared/api'
import { errorResponseSchema } from '../../src/shared/errors'
import type { TestServer } from '../support/server'
import { client, seeded } from './client'

const run = promisify(execFile)
let server: TestServer
let api: ReturnType<typeof client>
let dana: string
let acme: string
beforeAll(async () => void ({ server, api, dana, acme } = await seeded()))
afterAll(() => server.close())

describe('organization pages', () => {
  it('adds, lists and removes trusted domains, and validates them', async () => {
    expect((await api.call('POST', routes.domains(acme), { token: dana, body: { domain: 'Widgets.TEST' } })).status).toBe(201)
    const dup = await api.call('POST', routes.domains(acme), { token: dana, body: { domain: 'widgets.test' } })
    expect(dup.status).toBe(409)
    const bad = await api.call('POST', routes.domains(acme), { token: dana, body: { domain: 'not a domain' } })
    expect(bad.status).toBe(400)
    expect(bad.body.error.message).toContain('Enter a domain')
    const listed = await api.call('GET', routes.domains(acme), { token: dana })
    expect(listed.body.items.map((d: { domain: string; status: string }) => [d.domain, d.status])).toEqual([['acme.test', 'verified'], ['widgets.test', 'pending']])
    expect((await api.call('DELETE', routes.domain(acme, 'widgets.test'), { token: dana })).status).toBe(200)
    expect((await api.call('DELETE', routes.domain(acme, 'widgets.test'), { token: dana })).status).toBe(404)
  })

  it('suggests only non-members of trusted domains', async () => {
    const r = await api.call('GET', `${routes.discoverable(acme)}?q=`, { token: dana })
    const emails = r.body.items.map((u: { email: string }) => u.email)
    expect(emails).toEqual(['ines.duarte@acme.test', 'nora.lindqvist@acme.test', 'pablo.reyes@acme.test', 'theo.marsh@acme.test'])
    const initech = await api.orgId(dana, 'Initech') // no trusted domains there
    expect((await api.call('GET', `${routes.discoverable(initech)}?q=`, { token: dana })).body.items).toEqual([])
  })

  it('records mutations in the activity log, newest first, in pages', async () => {
    const members = (await api.call('GET', `${routes.members(acme)}?role=member&limit=1`, { token: dana })).body.items
    await api.call('PATCH', routes.member(acme, members[0].userId), { token: dana, body: { role: 'billing_admin' } })
    const page = activityPageSchema.parse((await api.call('GET', `${routes.activity(acme)}?limit=2`, { token: dana })).body)
    expect(page.items[0]).toMatchObject({ action: 'member.role_changed', target: members[0].email, details: { from: 'member', to: 'billing_admin' } })
    expect(page.items[0]!.actor?.email).toBe('admin@demo.test')
    const next = activityPageSchema.parse((await api.call('GET', `${routes.activity(acme)}?limit=2&cursor=${page.nextCursor}`, { token: dana })).body)
    expect(Number(next.items[0]!.id)).toBeLessThan(Number(page.items[1]!.id))
  })

  it('summarises billing and lists workspaces with member roles', async () => {
    const billing = billingSummarySchema.parse((await api.call('GET', routes.billing(acme), { token: dana })).body)
    const org = (await api.call('GET', routes.org(acme), { token: dana })).body
    // One seat count everywhere: members and pending invitations, as the cap counts them.
    expect(billing.seats).toEqual({ used: org.memberCount + org.pendingInvitationCount, limit: 100 })
    expect(billing.invoices).toHaveLength(6)
    expect(billing.usage).toHaveLength(30)
    const ws = workspaceListSchema.parse((await api.call('GET', routes.workspaces(acme), { token: dana })).body)
    expect(ws.items.map((w) => w.name)).toEqual(['Analytics', 'Production', 'Research'])
    expect(ws.items[0]!.members!.find((m) => m.email === 'admin@demo.test')?.role).toBe('admin')
    const dana_ = (await api.call('GET', `${routes.members(acme)}?q=admin%40demo`, { token: dana })).body.items[0]
    expect(dana_.workspaceCount).toBe(3)
  })
})

describe('errors', () => {
  it('answer in one shape with the right status', async () => {
    const cases = [
      [await api.call('POST', routes.login(), { raw: '{"email": ' }), 400, 'bad_request'],
      [await api.call('POST', routes.login(), { body: { email: 'admin@demo.test', password: 'x', extra: 1 } }), 401, 'invalid_credentials'],
      [await api.call('PATCH', routes.org(acme), { token: dana, body: { name: 'X', plan: 'free' } }), 400, 'validation_failed'],
      [await api.call('POST', routes.invitations(acme), { token: dana, body: { emails: [], role: 'member' } }), 400, 'validation_failed'],
      [await api.call('POST', routes.login(), { raw: JSON.stringify({ email: 'a@b.test', password: 'x'.repeat(300_000) }) }), 413, 'payload_too_large'],
      [await api.call('GET', '/v1/nothing-here', { token: dana }), 404, 'not_found'],
      [await api.call('GET', routes.orgs()), 401, 'unauthorized'],
      [await api.call('GET', routes.orgs(), { token: 'not-a-real-token-at-all' }), 401, 'unauthorized'],
    ] as const
    for (const [reply, status, code] of cases) {
      expect({ status: reply.status, code: errorResponseSchema.parse(reply.body).error.code }).toEqual({ status, code })
    }
  })
})

describe('input the database would refuse', () => {
  it('answers 400 in the error shape, and changes nothing', async () => {
    const nul = '\u0000'
    const syncCursor = Buffer.from(JSON.stringify(['not-a-date', 'x'])).toString('base64url')
    const since = encodeURIComponent(new Date().toISOString())
    const cases = [
      await api.call('GET', `${routes.members(acme)}?q=${encodeURIComponent(`da${nul}na`)}`, { token: dana }),
      await api.call('GET', `${routes.discoverable(acme)}?q=${encodeURIComponent(nul)}`, { token: dana }),
      await api.call('PATCH', routes.org(acme), { token: dana, body: { name: `Acme${nul}Corp` } }),
      await api.call('PATCH', routes.org(acme), { token: dana, body: { name: 'Acme\u0007Corp' } }),
      await api.call('POST', routes.invitations(acme), { token: dana, body: { emails: [`x${nul}@y.test`], role: 'member' } }),
      await api.call('POST', routes.login(), { body: { email: 'admin@demo.test', password: `demo${nul}` } }),
      await api.call('POST', routes.acceptInvitation('a'.repeat(20)), { body: { password: 'long-enough', displayName: `Eve${nul}` } }),
      await api.call('GET', `${routes.members(acme)}?since=${since}&cursor=${syncCursor}`, { token: dana }),
      await api.call('GET', routes.org(`${acme}${nul}`), { token: dana }),
    ]
    cases.forEach((reply, i) => {
      expect({ i, status: reply.status, code: errorResponseSchema.parse(reply.body).error }).toMatchObject({ i, status: 400, code: { code: 'validation_failed' } })
    })
    expect((await api.call('GET', routes.org(acme), { token: dana })).body.name).toBe('Acme Corp')
  })
})

describe('OpenAPI', () => {
  it('documents every route of the shared table', async () => {
    const doc = (await api.call('GET', routes.openapi())).body
    expect(doc.openapi).toBe('3.1.0')
    const expected = new Set(
      Object.entries(routes)
        .filter(([name]) => name !== 'openapi')
        .map(([, build]) => decodeURIComponent((build as (...a: string[]) => string)(':a', ':b', ':c')).replace(/:(a|b|c)/g, '{$1}')),
    )
    // The n-th path parameter becomes {a}, {b}, {c}, whatever its name.
    const documented = new Set(Object.keys(doc.paths).map((p) => p.replace(/\{\w+\}/g, (_m, i, s: string) => `{${'abc'[s.slice(0, i).split('{').length - 1]}}`)))
    expect([...expected].filter((p) => !documented.has(p))).toEqual([])
    expect(doc.paths['/v1/orgs/{orgId}/members'].get.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['orgId', 'cursor', 'limit', 'q', 'role', 'since']),
    )
  })

  it("passes Redocly's recommended ruleset with no error and no warning", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'openapi-'))
    try {
      const file = join(dir, 'openapi.json')
      await writeFile(file, JSON.stringify((await api.call('GET', routes.openapi())).body))
      // Offline and quiet: no telemetry, no update check. Warnings exit 0, so read the totals.
      const { stdout } = await run(process.execPath, ['node_modules/@redocly/cli/bin/cli.js', 'lint', file, '--config', 'redocly.yaml', '--format=json'], {
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
        timeout: 60_000,
      }).catch((err: { stdout: string }) => err)
      const report = JSON.parse(stdout) as { totals: unknown; problems: { ruleId: string; message: string }[] }
      expect(report.problems.map((p) => `${p.ruleId}: ${p.message}`)).toEqual([])
      expect(report.totals).toEqual({ errors: 0, warnings: 0, ignored: 0 })
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
