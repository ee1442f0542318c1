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
  memberDetailSchema,
  memberSchema,
  orgDetailSchema,
  recycleBinSchema,
  workspaceListSchema,
  workspaceSchema,
  type MemberDetail,
  parseInvitationUrl,
  routes,
  trustedDomainSchema,
  type EnrollmentMode,
  type CreateOrgRequest,
  type CreateApiKeyRequest,
  type UpdateOrgRequest,
} from '../../shared/api'
import { AppError } from '../../shared/errors'
import type { Cached } from '../../shared/ipc'
import type { Role, WorkspaceRole } from '../../shared/roles'
import { assertTransport, type AccountService } from './accounts'
import type { CacheService } from './cache'
import type { SyncService } from './sync'

/** Endpoints that answer "done" (204, or a small acknowledgement body). */
const done = z
  .union([z.undefined(), z.object({ ok: z.literal(true) }).loose()])
  .transform(() => ({ ok: true as const }))

export class OrgActions {
  constructor(private readonly deps: { accounts: AccountService; sync: SyncService; cache: CacheService }) {}

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

  async createOrg(accountId: string, req: CreateOrgRequest) {
    const org = await this.client(accountId).post(routes.orgs(), orgDetailSchema, req)
    await this.deps.sync.refreshOrgs(accountId)
    return org
  }

  async leave(accountId: string, orgId: string) {
    const result = await this.client(accountId).post(routes.leave(orgId), done)
    await this.deps.sync.orgGone(accountId, orgId)
    return result
  }

  /** Gone for everyone: every account on this server that listed it re-reads its list and drops it. */
  async deleteOrg(accountId: string, orgId: string, confirmName: string) {
    const result = await this.client(accountId).delete(routes.org(orgId), done, { confirmName })
    await this.deps.sync.orgGone(accountId, orgId)
    return result
  }

  async decideJoinRequest(accountId: string, orgId: string, requestId: string, approve: boolean) {
    const result = await this.client(accountId).post((approve ? routes.approveJoinRequest : routes.declineJoinRequest)(orgId, requestId), done)
    this.refresh(accountId, orgId, approve ? ['joinRequests', 'members', 'org', 'orgs'] : ['joinRequests'])
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

  // ── Workspaces and the recycle bin. Membership and binning move members' workspace counts.
  private async workspaceChange<T>(accountId: string, orgId: string, call: (c: ReturnType<OrgActions['client']>) => Promise<T>): Promise<T> {
    const result = await call(this.client(accountId))
    this.refresh(accountId, orgId, ['workspaces', 'members', 'org', 'orgs'])
    return result
  }

  createWorkspace(accountId: string, orgId: string, name: string) {
    return this.workspaceChange(accountId, orgId, (c) => c.post(routes.workspaces(orgId), workspaceSchema, { name }))
  }

  renameWorkspace(accountId: string, orgId: string, wsId: string, name: string) {
    return this.workspaceChange(accountId, orgId, (c) => c.patch(routes.workspace(orgId, wsId), workspaceSchema, { name }))
  }

  deleteWorkspace(accountId: string, orgId: string, wsId: string) {
    return this.workspaceChange(accountId, orgId, (c) => c.delete(routes.workspace(orgId, wsId), done))
  }

  setWorkspaceMember(accountId: string, orgId: string, wsId: string, userId: string, role: WorkspaceRole) {
    return this.workspaceChange(accountId, orgId, (c) => c.put(routes.workspaceMember(orgId, wsId, userId), workspaceSchema, { role }))
  }

  removeWorkspaceMember(accountId: string, orgId: string, wsId: string, userId: string) {
    return this.workspaceChange(accountId, orgId, (c) => c.delete(routes.workspaceMember(orgId, wsId, userId), workspaceSchema))
  }

  recycleBin(accountId: string, orgId: string) {
    return this.client(accountId).get(routes.recycleBin(orgId), recycleBinSchema)
  }

  restoreWorkspace(accountId: string, orgId: string, wsId: string) {
    return this.workspaceChange(accountId, orgId, (c) => c.post(routes.restoreWorkspace(orgId, wsId), workspaceSchema))
  }

  purgeWorkspace(accountId: string, orgId: string, wsId: string) {
    return this.workspaceChange(accountId, orgId, (c) => c.delete(routes.binnedWorkspace(orgId, wsId), done))
  }

  /**
   * The member panel. Offline it is composed from what is cached: the member from the members
   * list and their workspaces from the workspace list (only where its members were visible);
   * last activity is unknown then.
   */
  async memberDetail(accountId: string, orgId: string, userId: string): Promise<Cached<MemberDetail>> {
    try {
      const data = await this.client(accountId).get(routes.member(orgId, userId), memberDetailSchema)
      return { data, syncedAt: new Date().toISOString(), source: 'network', offline: false }
    } catch (err) {
      if (!(err instanceof AppError && (err.code === 'offline' || err.code === 'timeout'))) throw err
      const [members, spaces] = await Promise.all([
        this.deps.cache.readMembers(accountId, orgId),
        this.deps.cache.read(accountId, orgId, 'workspaces', workspaceListSchema),
      ])
      const member = members?.data.members.find((m) => m.userId === userId)
      if (!members || !member) throw err
      const workspaces = (spaces?.data.items ?? []).flatMap((w) => {
        const role = w.members?.find((m) => m.id === userId)?.role
        return role ? [{ id: w.id, name: w.name, role }] : []
      })
      return { data: { member: { ...member, lastActiveAt: null }, workspaces }, syncedAt: members.syncedAt, source: 'cache', offline: true }
    }
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
