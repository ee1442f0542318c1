/**
 * The one IPC router: every channel of the contract mapped to a service call. It checks the
 * sender, validates the payload with the channel's schema, validates the result before it
 * leaves, and never throws: every outcome is an IpcResult envelope. No Electron import, so
 * Electron's ipcMain and the loopback harness's WebSocket share it unchanged.
 */
import { z } from 'zod'
import { AppError } from '../../shared/errors'
import { channels, type ChannelName, type Channels, type IpcResult } from '../../shared/ipc'
import type { AccountService } from '../services/accounts'
import type { AuditLogService } from '../services/audit-log'
import type { InboxActions } from '../services/inbox'
import { memberWindowParser } from '../services/member-page'
import type { OrgActions } from '../services/org-actions'
import type { SyncService } from '../services/sync'

/** Who sent a call: the sending frame's URL, and whether it is the top-level frame. */
export type SenderInfo = { url: string; isMainFrame: boolean }

export interface RouterDeps {
  accounts: AccountService
  sync: SyncService
  actions: OrgActions
  inbox: InboxActions
  audit: AuditLogService
  isTrustedSender(sender: SenderInfo): boolean
}

export interface Router {
  handle(channel: string, payload: unknown, sender: SenderInfo): Promise<IpcResult>
}

type Handlers = { [C in ChannelName]: (req: z.output<Channels[C]['request']>) => Promise<unknown> }

const MAX_MESSAGE = 2_000

/** Result checks that keep a channel's schema but not its cost: a members window leaves at every keystroke. */
const responseChecks: { [C in ChannelName]?: { safeParse(data: unknown): z.ZodSafeParseResult<z.output<Channels[C]['response']>> } } = {
  'members.list': memberWindowParser,
  'members.sync': memberWindowParser,
}

export function createRouter(deps: RouterDeps): Router {
  const { accounts, sync, actions, inbox, audit } = deps
  const handlers: Handlers = {
    'accounts.list': async () => accounts.list(),
    'accounts.add': (r) => accounts.add(r.baseUrl, r.email, r.password, r.allowInsecureHttp),
    'accounts.addApiKey': (r) => accounts.addApiKey(r.baseUrl, r.key, r.allowInsecureHttp),
    'accounts.register': (r) =>
      accounts.register(r.baseUrl, { email: r.email, displayName: r.displayName, password: r.password }, r.allowInsecureHttp),
    'accounts.verifyEmail': (r) => accounts.verifyEmail(r.accountId, r.code),
    'accounts.resendVerification': (r) => accounts.resendVerification(r.accountId),
    'accounts.rename': (r) => accounts.rename(r.accountId, r.name),
    'accounts.suggestServer': async () => ({ url: accounts.suggestServer() }),
    'accounts.signIn': (r) => accounts.signIn(r.accountId, r.password),
    'accounts.signOut': (r) => accounts.signOut(r.accountId),
    'accounts.forget': async (r) => {
      await accounts.forget(r.accountId)
      return { ok: true }
    },

    'orgs.list': (r) => sync.orgs(r.accountId),
    'orgs.get': (r) => sync.org(r.accountId, r.orgId, 'org'),
    'orgs.update': (r) => actions.updateOrg(r.accountId, r.orgId, r.patch),
    'orgs.leave': (r) => actions.leave(r.accountId, r.orgId),
    'orgs.create': ({ accountId, ...req }) => actions.createOrg(accountId, req),
    'orgs.delete': (r) => actions.deleteOrg(r.accountId, r.orgId, r.confirmName),
    'joinRequests.list': (r) => sync.org(r.accountId, r.orgId, 'joinRequests'),
    'joinRequests.approve': (r) => actions.decideJoinRequest(r.accountId, r.orgId, r.requestId, true),
    'joinRequests.decline': (r) => actions.decideJoinRequest(r.accountId, r.orgId, r.requestId, false),

    'members.list': ({ accountId, orgId, ...query }) => sync.members(accountId, orgId, query),
    'members.sync': ({ accountId, orgId, ...query }) => sync.syncMembers(accountId, orgId, query),
    'members.changeRole': (r) => actions.changeRole(r.accountId, r.orgId, r.userId, r.role),
    'members.remove': (r) => actions.removeMember(r.accountId, r.orgId, r.userId),

    'invitations.list': (r) => sync.org(r.accountId, r.orgId, 'invitations'),
    'invitations.create': (r) => actions.invite(r.accountId, r.orgId, r.emails, r.role),
    'invitations.revoke': (r) => actions.revoke(r.accountId, r.orgId, r.invitationId),
    'invitations.resend': (r) => actions.resend(r.accountId, r.orgId, r.invitationId),
    'invitations.link': (r) => actions.link(r.accountId, r.orgId, r.invitationId),
    'invitations.preview': (r) => actions.preview(r.url, r.allowInsecureHttp),
    'invitations.accept': (r) => actions.accept(r.url, r.password, r.displayName, r.allowInsecureHttp),

    'domains.list': (r) => sync.org(r.accountId, r.orgId, 'domains'),
    'domains.add': (r) => actions.addDomain(r.accountId, r.orgId, r.domain),
    'domains.remove': (r) => actions.removeDomain(r.accountId, r.orgId, r.domain),
    'domains.verify': (r) => actions.verifyDomain(r.accountId, r.orgId, r.domain),
    'domains.setEnrollment': (r) => actions.setEnrollment(r.accountId, r.orgId, r.domain, r.enrollment),
    'users.discover': (r) => actions.discover(r.accountId, r.orgId, r.q),

    'inbox.list': (r) => inbox.list(r.accountId),
    'inbox.accept': (r) => inbox.accept(r.accountId, r.invitationId),
    'inbox.decline': (r) => inbox.decline(r.accountId, r.invitationId),
    'inbox.requestToJoin': (r) => inbox.requestToJoin(r.accountId, r.orgId),

    'workspaces.list': (r) => sync.org(r.accountId, r.orgId, 'workspaces'),
    'workspaces.create': (r) => actions.createWorkspace(r.accountId, r.orgId, r.name),
    'workspaces.rename': (r) => actions.renameWorkspace(r.accountId, r.orgId, r.workspaceId, r.name),
    'workspaces.delete': (r) => actions.deleteWorkspace(r.accountId, r.orgId, r.workspaceId),
    'workspaces.setMember': (r) => actions.setWorkspaceMember(r.accountId, r.orgId, r.workspaceId, r.userId, r.role),
    'workspaces.removeMember': (r) => actions.removeWorkspaceMember(r.accountId, r.orgId, r.workspaceId, r.userId),
    'recycleBin.list': (r) => actions.recycleBin(r.accountId, r.orgId),
    'recycleBin.restore': (r) => actions.restoreWorkspace(r.accountId, r.orgId, r.workspaceId),
    'recycleBin.purge': (r) => actions.purgeWorkspace(r.accountId, r.orgId, r.workspaceId),
    'members.detail': (r) => actions.memberDetail(r.accountId, r.orgId, r.userId),
    'activity.list': ({ accountId, orgId, ...filter }) => audit.list(accountId, orgId, filter),
    'activity.export': ({ accountId, orgId, ...filter }) => audit.exportCsv(accountId, orgId, filter),
    'apiKeys.list': (r) => actions.apiKeys(r.accountId, r.orgId),
    'apiKeys.create': (r) => actions.createApiKey(r.accountId, r.orgId, r.request),
    'apiKeys.revoke': (r) => actions.revokeApiKey(r.accountId, r.orgId, r.keyId),
    'billing.get': (r) => sync.org(r.accountId, r.orgId, 'billing'),
  }

  async function handle(channel: string, payload: unknown, sender: SenderInfo): Promise<IpcResult> {
    try {
      if (!isSender(sender) || !deps.isTrustedSender(sender)) {
        return fail(new AppError('forbidden_sender', 'Calls are only accepted from the Org Admin window'))
      }
      if (typeof channel !== 'string' || !Object.hasOwn(channels, channel)) {
        return fail(new AppError('bad_request', `Unknown channel "${String(channel).slice(0, 80)}"`))
      }
      const name = channel as ChannelName
      const request = channels[name].request.safeParse(payload)
      if (!request.success) {
        return fail(
          new AppError('validation_failed', truncate(`Invalid request for ${name}: ${z.prettifyError(request.error)}`), {
            issues: request.error.issues.slice(0, 20).map(({ code, path, message }) => ({ code, path: path.map(String), message })),
          }),
        )
      }
      const result = await (handlers[name] as (req: unknown) => Promise<unknown>)(request.data)
      const response = (responseChecks[name] ?? channels[name].response).safeParse(result)
      if (!response.success) {
        console.error(`[router] ${name} produced a result outside the contract:`, z.prettifyError(response.error))
        return fail(new AppError('internal', `The app produced an invalid result for ${name}`))
      }
      return { ok: true, data: response.data }
    } catch (err) {
      if (err instanceof AppError) return fail(err)
      console.error(`[router] ${String(channel).slice(0, 80)} failed:`, err)
      return fail(new AppError('internal', 'Unexpected error in the app; see the log'))
    }
  }

  return { handle }
}

function fail(err: AppError): IpcResult {
  return { ok: false, error: err.toJSON() }
}

function isSender(s: unknown): s is SenderInfo {
  return typeof s === 'object' && s !== null && typeof (s as SenderInfo).url === 'string' && typeof (s as SenderInfo).isMainFrame === 'boolean'
}

function truncate(s: string): string {
  return s.length > MAX_MESSAGE ? `${s.slice(0, MAX_MESSAGE)}…` : s
}

/**
 * Trust the top frame of our own renderer only: exact origins (dev server, harness) or the
 * app's own file (packaged build; hash/query ignored). Iframes and other pages are refused.
 */
export function senderPolicy(allowed: { origins?: string[]; files?: string[] }): (sender: SenderInfo) => boolean {
  const origins = new Set(allowed.origins ?? [])
  const files = new Set((allowed.files ?? []).map(stripSuffix))
  return (sender) => {
    if (!sender.isMainFrame) return false
    let url: URL
    try {
      url = new URL(sender.url)
    } catch {
      return false
    }
    if (url.protocol === 'file:') return files.has(stripSuffix(sender.url))
    return origins.has(url.origin)
  }
}

function stripSuffix(u: string): string {
  const url = new URL(u)
  url.hash = ''
  url.search = ''
  return url.href
}
