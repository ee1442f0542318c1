/**
 * Calls that change something on the server, and the reads that are never cached
 * (activity pages, user discovery, invitation links). Mutations need the network: offline
 * they fail with the client's 'offline' error. After a change the affected caches refresh
 * in the background so every view converges without the renderer knowing the cache layout.
 */
import { z } from 'zod'
import {
  acceptInvitationResponseSchema,
  apiKeyListSchema,
  createdApiKeySchema,
  createInvitationsResponseSchema,
  discoverableUsersSchema,
  invitationLinkSchema,
  invitationPreviewSchema,
  memberSchema,
  orgDetailSchema,
  parseInvitationUrl,
  routes,
  trustedDomainSchema,
  type EnrollmentMode,
  type CreateApiKeyRequest,
  type UpdateOrgRequest,
} from '../../shared/api'
import { AppError } from '../../shared/errors'
import type { Role } from '../../shared/roles'
import { assertTransport, type AccountService } from './accounts'
import type { SyncService } from './sync'

/** Endpoints that answer "done" (204, or a small acknowledgement body). */
const done = z
  .union([z.undefined(), z.object({ ok: z.literal(true) }).loose()])
  .transform(() => ({ ok: true as const }))

export class OrgActions {
  constructor(private readonly deps: { accounts: AccountService; sync: SyncService }) {}

  private client(accountId: string) {
    return this.deps.accounts.client(accountId)
  }

  private refresh(accountId: string, orgId: string | null, kinds: Parameters<SyncService['refreshAfterMutation']>[2]) {
    this.deps.sync.refreshAfterMutation(accountId, orgId, kinds)
  }

  async updateOrg(accountId: string, orgId: string, patch: UpdateOrgRequest) {
    const org = await this.client(accountId).patch(routes.org(orgId), orgDetailSchema, patch)
    this.refresh(accountId, orgId, ['org', 'orgs'])
    return org
  }

  async leave(accountId: string, orgId: string) {
    const result = await this.client(accountId).post(routes.leave(orgId), done)
    this.refresh(accountId, null, ['orgs'])
    return result
  }

  async changeRole(accountId: string, orgId: string, userId: string, role: Role) {
    const member = await this.client(accountId).patch(routes.member(orgId, userId), memberSchema, { role })
    this.deps.sync.noteMemberEdit(accountId, orgId, { userId, role: member.role })
    this.refresh(accountId, orgId, ['members', 'org', 'orgs'])
    return member
  }

  async removeMember(accountId: string, orgId: string, userId: string) {
    const result = await this.client(accountId).delete(routes.member(orgId, userId), done)
    this.deps.sync.noteMemberEdit(accountId, orgId, { userId, removed: true })
    this.refresh(accountId, orgId, ['members', 'org', 'orgs', 'workspaces'])
    return result
  }

  async invite(accountId: string, orgId: string, emails: string[], role: Role) {
    const result = await this.client(accountId).post(routes.invitations(orgId), createInvitationsResponseSchema, { emails, role })
    this.refresh(accountId, orgId, ['invitations', 'members', 'org', 'orgs'])
    return result
  }

  async revoke(accountId: string, orgId: string, invitationId: string) {
    const result = await this.client(accountId).delete(routes.invitation(orgId, invitationId), done)
    this.refresh(accountId, orgId, ['invitations', 'org', 'orgs'])
    return result
  }

  async resend(accountId: string, orgId: string, invitationId: string) {
    const link = await this.client(accountId).post(routes.resend(orgId, invitationId), invitationLinkSchema)
    this.refresh(accountId, orgId, ['invitations', 'org', 'orgs'])
    return link
  }

  async link(accountId: string, orgId: string, invitationId: string) {
    const link = await this.client(accountId).post(routes.link(orgId, invitationId), invitationLinkSchema)
    this.refresh(accountId, orgId, ['invitations'])
    return link
  }

  async addDomain(accountId: string, orgId: string, domain: string) {
    const result = await this.client(accountId).post(routes.domains(orgId), trustedDomainSchema, { domain })
    this.refresh(accountId, orgId, ['domains'])
    return result
  }

  async verifyDomain(accountId: string, orgId: string, domain: string) {
    const result = await this.client(accountId).post(routes.verifyDomain(orgId, domain), trustedDomainSchema)
    this.refresh(accountId, orgId, ['domains'])
    return result
  }

  async setEnrollment(accountId: string, orgId: string, domain: string, enrollment: EnrollmentMode) {
    const result = await this.client(accountId).patch(routes.domain(orgId, domain), trustedDomainSchema, { enrollment })
    // Automatic invitation may have invited people already in the domain.
    this.refresh(accountId, orgId, ['domains', 'invitations', 'org'])
    return result
  }

  async removeDomain(accountId: string, orgId: string, domain: string) {
    const result = await this.client(accountId).delete(routes.domain(orgId, domain), done)
    this.refresh(accountId, orgId, ['domains'])
    return result
  }

  discover(accountId: string, orgId: string, q: string) {
    return this.client(accountId).get(routes.discoverable(orgId), discoverableUsersSchema, { q })
  }

  /** API keys are read fresh: the list is short and Owners revoke from it. */
  apiKeys(accountId: string, orgId: string) {
    return this.client(accountId).get(routes.apiKeys(orgId), apiKeyListSchema)
  }

  createApiKey(accountId: string, orgId: string, request: CreateApiKeyRequest) {
    return this.client(accountId).post(routes.apiKeys(orgId), createdApiKeySchema, request)
  }

  revokeApiKey(accountId: string, orgId: string, keyId: string) {
    return this.client(accountId).delete(routes.apiKey(orgId, keyId), done)
  }

  preview(url: string, allowInsecureHttp = false) {
    const link = parseLink(url, allowInsecureHttp)
    return this.deps.accounts.anonymous(link.baseUrl).get(routes.invitationByToken(link.token), invitationPreviewSchema)
  }

  /** Accepting signs the invitee in (or registers them): the result becomes an account here. */
  async accept(url: string, password: string, displayName?: string, allowInsecureHttp = false) {
    const link = parseLink(url, allowInsecureHttp)
    const result = await this.deps.accounts
      .anonymous(link.baseUrl)
      .post(routes.acceptInvitation(link.token), acceptInvitationResponseSchema, displayName ? { password, displayName } : { password })
    const account = await this.deps.accounts.adopt(link.baseUrl, result.tokens)
    return { account, orgId: result.orgId }
  }
}

/** The link's token is a credential too: the same http rule as for a password. */
function parseLink(url: string, allowInsecureHttp: boolean) {
  const link = parseInvitationUrl(url)
  if (!link) throw new AppError('bad_request', 'This is not an invitation link (expected https://<server>/invite#<token>)')
  assertTransport(link.baseUrl, allowInsecureHttp)
  return link
}
