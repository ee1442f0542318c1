/** Trusted domains: add (pending), verify by DNS, choose the enrollment mode, remove; and discovery. */
import { z } from 'zod'
import {
  addDomainRequestSchema,
  discoverableQuerySchema,
  discoverableUsersSchema,
  domainSchema,
  routes,
  trustedDomainListSchema,
  trustedDomainSchema,
  updateDomainRequestSchema,
} from '../../shared/api'
import type { Router } from '../http'
import type { Ctx } from '../services/context'
import { addDomain, discoverUsers, listDomains, removeDomain, setEnrollment, verifyDomain } from '../services/domains'
import { id, ok, okSchema, org, path } from './params'

const orgDomain = z.object({ orgId: id, domain: domainSchema })

export function registerDomains(r: Router, ctx: Ctx): void {
  r.route({
    method: 'GET', url: path(routes.domains(':orgId')), tag: 'domains', summary: 'Trusted email domains, pending or verified, with the TXT record to create',
    params: org, response: trustedDomainListSchema,
    handler: async ({ user, params }) => ({ items: await listDomains(ctx, user.id, params.orgId) }),
  })
  r.route({
    method: 'POST', url: path(routes.domains(':orgId')), tag: 'domains', status: 201,
    summary: 'Add a domain (Owner): pending until verified; public mailbox providers are refused',
    params: org, body: addDomainRequestSchema, response: trustedDomainSchema,
    handler: ({ user, params, body }) => addDomain(ctx, user.id, params.orgId, body.domain),
  })
  r.route({
    method: 'POST', url: path(routes.verifyDomain(':orgId', ':domain')), tag: 'domains',
    summary: "Check the domain's TXT record now (Owner); a failure carries the resolver's answer",
    params: orgDomain, response: trustedDomainSchema,
    handler: ({ user, params }) => verifyDomain(ctx, user.id, params.orgId, params.domain),
  })
  r.route({
    method: 'PATCH', url: path(routes.domain(':orgId', ':domain')), tag: 'domains', summary: 'Choose how a verified domain enrolls people (Owner)',
    params: orgDomain, body: updateDomainRequestSchema, response: trustedDomainSchema,
    handler: ({ user, params, body }) => setEnrollment(ctx, user.id, params.orgId, params.domain, body.enrollment),
  })
  r.route({
    method: 'DELETE', url: path(routes.domain(':orgId', ':domain')), tag: 'domains', summary: 'Remove a trusted domain (Owner)',
    params: orgDomain, response: okSchema,
    handler: async ({ user, params }) => (await removeDomain(ctx, user.id, params.orgId, params.domain), ok),
  })
  r.route({
    method: 'GET', url: path(routes.discoverable(':orgId')), tag: 'domains', rateLimited: true,
    summary: 'Non-members with a verified address in a verified domain (name and email), for invite suggestions; rate-limited',
    params: org, query: discoverableQuerySchema, response: discoverableUsersSchema,
    handler: async ({ user, params, query }) => ({ items: await discoverUsers(ctx, user.id, params.orgId, query.q) }),
  })
}
