/**
 * The audit log: every mutating route records an event (walked from the server's own route
 * table, so a new route without an entry here fails), and the log filters by person, action,
 * day range and text.
 *
 * Adding a mutating route: add one entry to MUTATIONS with the action it records and a call
 * that makes it succeed, or to PERSONAL with the reason it is not about an organization.
 */
import { and, desc, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { activity } from '../../src/server/db/schema'
import { routes, type ActivityAction } from '../../src/shared/api'
import { createUser } from '../../src/server/index'
import { startTestServer, type TestServer } from '../support/server'
import { client, type Reply } from './client'

const p = (built: string) => decodeURIComponent(built)
const DAY = 86_400_000

let server: TestServer
let api: ReturnType<typeof client>
let dana: string
let acme: string
/** What the fake DNS answers: the challenge of the domain being verified. */
let txt: string[] = []

interface Env {
  token: (email: string) => Promise<string>
  /** A fresh person with a verified address and a session. */
  person: (email: string) => Promise<{ id: string; token: string }>
  /** The i-th plain Member of Acme. */
  memberId: (i: number) => Promise<string>
  invite: (email: string) => Promise<{ id: string; token: string }>
}

let env: Env
const inDays = (d: number) => new Date(server.clock.now().getTime() + d * DAY).toISOString()
let n = 0

/** Mutating routes that are about an organization: the call that succeeds, and the event it must leave. */
interface Mutation {
  action: ActivityAction
  run: () => Promise<Reply>
  /** The organization whose log holds the event, when it is not Acme (read from the reply). */
  org?: (reply: Reply) => string
}

/** A throwaway organization of Dana's (the log of a deleted one is read from the database). */
let scratch = ''
async function newOrg(): Promise<Reply> {
  const reply = await api.call('POST', routes.orgs(), { token: dana, body: { name: `Scratch ${n++}` } })
  scratch = reply.body.id
  return reply
}
async function workspace(opts: { binned?: boolean } = {}): Promise<string> {
  const ws = await api.call('POST', routes.workspaces(acme), { token: dana, body: { name: `Audit ws ${n++}` } })
  if (opts.binned) await api.call('DELETE', routes.workspace(acme, ws.body.id), { token: dana })
  return ws.body.id
}

const MUTATIONS: Record<string, Mutation> = {
  [`PATCH ${p(routes.org(':orgId'))}`]: { action: 'org.updated', run: () => api.call('PATCH', routes.org(acme), { token: dana, body: { name: `Acme Corp ${n++}` } }) },
  [`POST ${p(routes.orgs())}`]: { action: 'org.created', run: () => newOrg(), org: (r) => r.body.id },
  [`DELETE ${p(routes.org(':orgId'))}`]: {
    action: 'org.deleted',
    run: async () => {
      const { body } = await newOrg()
      return api.call('DELETE', routes.org(body.id), { token: dana, body: { confirmName: body.name } })
    },
    org: () => scratch,
  },
  [`POST ${p(routes.workspaces(':orgId'))}`]: { action: 'workspace.created', run: () => api.call('POST', routes.workspaces(acme), { token: dana, body: { name: `Audit ws ${n++}` } }) },
  [`PATCH ${p(routes.workspace(':orgId', ':wsId'))}`]: {
    action: 'workspace.renamed',
    run: async () => api.call('PATCH', routes.workspace(acme, await workspace()), { token: dana, body: { name: `Renamed ws ${n++}` } }),
  },
  [`DELETE ${p(routes.workspace(':orgId', ':wsId'))}`]: {
    action: 'workspace.deleted',
    run: async () => api.call('DELETE', routes.workspace(acme, await workspace()), { token: dana }),
  },
  [`PUT ${p(routes.workspaceMember(':orgId', ':wsId', ':userId'))}`]: {
    action: 'workspace.member_added',
    run: async () => api.call('PUT', routes.workspaceMember(acme, await workspace(), await env.memberId(2)), { token: dana, body: { role: 'viewer' } }),
  },
  [`DELETE ${p(routes.workspaceMember(':orgId', ':wsId', ':userId'))}`]: {
    action: 'workspace.member_removed',
    run: async () => {
      const ws = await workspace()
      const userId = await env.memberId(2)
      await api.call('PUT', routes.workspaceMember(acme, ws, userId), { token: dana, body: { role: 'viewer' } })
      return api.call('DELETE', routes.workspaceMember(acme, ws, userId), { token: dana })
    },
  },
  [`POST ${p(routes.restoreWorkspace(':orgId', ':wsId'))}`]: {
    action: 'workspace.restored',
    run: async () => api.call('POST', routes.restoreWorkspace(acme, await workspace({ binned: true })), { token: dana }),
  },
  [`DELETE ${p(routes.binnedWorkspace(':orgId', ':wsId'))}`]: {
    action: 'workspace.purged',
    run: async () => api.call('DELETE', routes.binnedWorkspace(acme, await workspace({ binned: true })), { token: dana }),
  },
  [`POST ${p(routes.leave(':orgId'))}`]: {
    action: 'member.left',
    run: async () => {
      const email = `leaver${n++}@else.test`
      const u = await env.person(email)
      const inv = await env.invite(email)
      await api.call('POST', routes.acceptMine(inv.id), { token: u.token })
      return api.call('POST', routes.leave(acme), { token: u.token })
    },
  },
  [`PATCH ${p(routes.member(':orgId', ':userId'))}`]: {
    action: 'member.role_changed',
    run: async () => api.call('PATCH', routes.member(acme, await env.memberId(0)), { token: dana, body: { role: 'billing_admin' } }),
  },
  [`DELETE ${p(routes.member(':orgId', ':userId'))}`]: {
    action: 'member.removed',
    run: async () => api.call('DELETE', routes.member(acme, await env.memberId(1)), { token: dana }),
  },
  [`POST ${p(routes.invitations(':orgId'))}`]: { action: 'invitation.created', run: () => api.call('POST', routes.invitations(acme), { token: dana, body: { emails: [`inv${n++}@new.test`], role: 'member' } }) },
  [`DELETE ${p(routes.invitation(':orgId', ':invId'))}`]: {
    action: 'invitation.revoked',
    run: async () => api.call('DELETE', routes.invitation(acme, (await env.invite(`rev${n++}@new.test`)).id), { token: dana }),
  },
  [`POST ${p(routes.resend(':orgId', ':invId'))}`]: {
    action: 'invitation.resent',
    run: async () => api.call('POST', routes.resend(acme, (await env.invite(`res${n++}@new.test`)).id), { token: dana }),
  },
  [`POST ${p(routes.link(':orgId', ':invId'))}`]: {
    action: 'invitation.link_created',
    run: async () => api.call('POST', routes.link(acme, (await env.invite(`lnk${n++}@new.test`)).id), { token: dana }),
  },
  [`POST ${p(routes.acceptInvitation(':token'))}`]: {
    action: 'invitation.accepted',
    run: async () =>
      api.call('POST', routes.acceptInvitation((await env.invite(`acc${n++}@new.test`)).token), { body: { password: 'long-enough-pw', displayName: 'New Person' } }),
  },
  [`POST ${p(routes.acceptMine(':invId'))}`]: {
    action: 'invitation.accepted',
    run: async () => {
      const email = `mine${n++}@else.test`
      const u = await env.person(email)
      return api.call('POST', routes.acceptMine((await env.invite(email)).id), { token: u.token })
    },
  },
  [`POST ${p(routes.declineMine(':invId'))}`]: {
    action: 'invitation.declined',
    run: async () => {
      const email = `decl${n++}@else.test`
      const u = await env.person(email)
      return api.call('POST', routes.declineMine((await env.invite(email)).id), { token: u.token })
    },
  },
  [`POST ${p(routes.domains(':orgId'))}`]: { action: 'domain.added', run: () => api.call('POST', routes.domains(acme), { token: dana, body: { domain: `d${n++}.test` } }) },
  [`POST ${p(routes.verifyDomain(':orgId', ':domain'))}`]: {
    action: 'domain.verified',
    run: async () => {
      const added = await api.call('POST', routes.domains(acme), { token: dana, body: { domain: `v${n++}.test` } })
      txt = [added.body.record.value]
      return api.call('POST', routes.verifyDomain(acme, added.body.domain), { token: dana })
    },
  },
  [`PATCH ${p(routes.domain(':orgId', ':domain'))}`]: {
    action: 'domain.enrollment_changed',
    // There and back: requests to join below need the suggestion mode.
    run: async () => {
      await api.call('PATCH', routes.domain(acme, 'acme.test'), { token: dana, body: { enrollment: 'manual' } })
      return api.call('PATCH', routes.domain(acme, 'acme.test'), { token: dana, body: { enrollment: 'automatic_suggestion' } })
    },
  },
  [`DELETE ${p(routes.domain(':orgId', ':domain'))}`]: {
    action: 'domain.removed',
    run: async () => {
      const d = `rm${n++}.test`
      await api.call('POST', routes.domains(acme), { token: dana, body: { domain: d } })
      return api.call('DELETE', routes.domain(acme, d), { token: dana })
    },
  },
  [`POST ${p(routes.requestToJoin(':orgId'))}`]: { action: 'join_request.created', run: () => askToJoin() },
  [`POST ${p(routes.approveJoinRequest(':orgId', ':reqId'))}`]: {
    action: 'join_request.approved',
    run: async () => api.call('POST', routes.approveJoinRequest(acme, await pendingRequest()), { token: dana }),
  },
  [`POST ${p(routes.declineJoinRequest(':orgId', ':reqId'))}`]: {
    action: 'join_request.declined',
    run: async () => api.call('POST', routes.declineJoinRequest(acme, await pendingRequest()), { token: dana }),
  },
  [`POST ${p(routes.apiKeys(':orgId'))}`]: {
    action: 'api_key.created',
    run: () => api.call('POST', routes.apiKeys(acme), { token: dana, body: { name: `k${n++}`, role: 'member', expiresAt: inDays(7) } }),
  },
  [`DELETE ${p(routes.apiKey(':orgId', ':keyId'))}`]: {
    action: 'api_key.revoked',
    run: async () => {
      const k = await api.call('POST', routes.apiKeys(acme), { token: dana, body: { name: `r${n++}`, role: 'member', expiresAt: inDays(7) } })
      return api.call('DELETE', routes.apiKey(acme, k.body.key.id), { token: dana })
    },
  },
}

/** Mutating routes about the caller alone (their session, their address): nothing an organization's log could show. */
const PERSONAL: Record<string, string> = {
  [`POST ${p(routes.login())}`]: 'starts a session',
  [`POST ${p(routes.refresh())}`]: 'rotates a session',
  [`POST ${p(routes.logout())}`]: 'ends a session',
  [`POST ${p(routes.register())}`]: 'creates an account, in no organization yet',
  [`POST ${p(routes.emailVerification())}`]: 'emails the caller a code',
  [`POST ${p(routes.confirmEmail())}`]: "verifies the caller's address",
}

async function askToJoin(): Promise<Reply> {
  const u = await env.person(`joiner${n++}@acme.test`)
  return api.call('POST', routes.requestToJoin(acme), { token: u.token })
}
async function pendingRequest(): Promise<string> {
  expect((await askToJoin()).status).toBe(201)
  const list = await api.call('GET', routes.joinRequests(acme), { token: dana })
  return list.body.items[list.body.items.length - 1].id
}

beforeAll(async () => {
  server = await startTestServer({ seed: true, dns: { txt: async () => txt } })
  api = client(server)
  dana = (await api.login('admin@demo.test')).accessToken
  acme = await api.orgId(dana, 'Acme Corp')
  env = {
    token: async (email) => (await api.login(email, 'person-password')).accessToken,
    person: async (email) => {
      const { id } = await createUser(server, { email, displayName: email.split('@')[0]!, password: 'person-password' })
      return { id, token: await env.token(email) }
    },
    memberId: async (i) => (await api.call('GET', `${routes.members(acme)}?role=member&limit=10`, { token: dana })).body.items[i].userId,
    invite: async (email) => {
      const r = await api.call('POST', routes.invitations(acme), { token: dana, body: { emails: [email], role: 'member' } })
      if (r.status !== 201 || !r.body.invited[0]) throw new Error(`invite ${email}: ${JSON.stringify(r.body)}`)
      return { id: r.body.invited[0].invitation.id, token: r.body.invited[0].link.token }
    },
  }
  // Suggestions (requests to join) need the verified domain in that mode.
  await api.call('PATCH', routes.domain(acme, 'acme.test'), { token: dana, body: { enrollment: 'automatic_suggestion' } })
})
afterAll(() => server.close())

const latest = async (action: ActivityAction, org = acme) => {
  const [row] = await server.db
    .select({ seq: activity.seq })
    .from(activity)
    .where(and(eq(activity.orgId, org), eq(activity.action, action)))
    .orderBy(desc(activity.seq))
    .limit(1)
  return row?.seq ?? null
}

describe('every mutating route records an event', () => {
  it('lists every mutating route of the server here, as recorded or personal', async () => {
    const doc = (await api.call('GET', routes.openapi())).body as { paths: Record<string, Record<string, unknown>> }
    const mutating = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops)
        .filter((m) => m !== 'get')
        .map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
    )
    const unlisted = mutating.filter((r) => !(r in MUTATIONS) && !(r in PERSONAL))
    expect(unlisted, 'mutating routes with no audit entry: add them to MUTATIONS (or PERSONAL)').toEqual([])
    expect(mutating.length).toBe(Object.keys(MUTATIONS).length + Object.keys(PERSONAL).length)
  })

  for (const [route, m] of Object.entries(MUTATIONS)) {
    it(`${route} records ${m.action}`, async () => {
      const before = await latest(m.action)
      const reply = await m.run()
      expect(reply.status, JSON.stringify(reply.body)).toBeLessThan(300)
      const after = await latest(m.action, m.org?.(reply))
      expect(after).not.toBeNull()
      expect(after).not.toBe(before)
    })
  }
})

describe('audit log filters', () => {
  it('filters by actor, by subject (by or about), by several actions, by day range and by text', async () => {
    const q = (query: string) => api.call('GET', `${routes.activity(acme)}?limit=200&${query}`, { token: dana })
    const email = `subject${n++}@else.test`
    const subject = await env.person(email)
    const inv = await env.invite(email)
    await api.call('POST', routes.acceptMine(inv.id), { token: subject.token })
    await api.call('PATCH', routes.member(acme, subject.id), { token: dana, body: { role: 'billing_admin' } })
    const danaId = (await api.call('GET', routes.me(), { token: dana })).body.id

    const byDana = await q(`actor=${danaId}`)
    expect(byDana.body.items.length).toBeGreaterThan(0)
    expect(byDana.body.items.every((e: { actor: { id: string } | null }) => e.actor?.id === danaId)).toBe(true)

    const about = await q(`subject=${subject.id}`)
    expect(about.body.items.map((e: { action: string }) => e.action)).toEqual(['member.role_changed', 'invitation.accepted'])
    expect(about.body.items[0]).toMatchObject({ targetUserId: subject.id, actor: { id: danaId } })
    expect(about.body.items[1]).toMatchObject({ actor: { id: subject.id } })

    const two = await q('action=domain.added&action=api_key.created')
    const actions = new Set(two.body.items.map((e: { action: string }) => e.action))
    expect([...actions].sort()).toEqual(['api_key.created', 'domain.added'])

    const text = await q(`q=${encodeURIComponent(email.toUpperCase())}`)
    expect(text.body.items.map((e: { action: string }) => e.action)).toEqual(['member.role_changed', 'invitation.accepted', 'invitation.created'])
    const detail = await q('q=automatic_suggestion')
    expect(detail.body.items.map((e: { action: string }) => e.action)).toContain('domain.enrollment_changed')

    const today = server.clock.now().toISOString().slice(0, 10)
    expect((await q(`from=${today}&to=${today}`)).body.items.length).toBeGreaterThan(0)
    server.clock.advance(2 * DAY)
    dana = (await api.login('admin@demo.test')).accessToken
    await api.call('PATCH', routes.org(acme), { token: dana, body: { name: `Acme Corp ${n++}` } })
    const later = server.clock.now().toISOString().slice(0, 10)
    const onlyLater = await q(`from=${later}`)
    expect(onlyLater.body.items.map((e: { action: string }) => e.action)).toEqual(['org.updated'])
    const onlyEarlier = await q(`to=${today}&action=org.updated`)
    expect(onlyEarlier.body.items.every((e: { at: string }) => e.at.slice(0, 10) <= today)).toBe(true)
    expect(onlyEarlier.body.items.length).toBeGreaterThan(0)

    const backwards = await q(`from=${later}&to=${today}`)
    expect([backwards.status, backwards.body.error.code]).toEqual([400, 'validation_failed'])
    const badAction = await q('action=nope')
    expect([badAction.status, badAction.body.error.code]).toEqual([400, 'validation_failed'])
  })

  it('pages through a filter with the cursor', async () => {
    const first = await api.call('GET', `${routes.activity(acme)}?limit=2&action=invitation.created`, { token: dana })
    expect(first.body.items).toHaveLength(2)
    const next = await api.call('GET', `${routes.activity(acme)}?limit=2&action=invitation.created&cursor=${first.body.nextCursor}`, { token: dana })
    expect(Number(next.body.items[0].id)).toBeLessThan(Number(first.body.items[1].id))
    expect(next.body.items.every((e: { action: string }) => e.action === 'invitation.created')).toBe(true)
  })
})
