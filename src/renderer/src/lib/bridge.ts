/**
 * The renderer's access to main: typed calls through `window.orgAdmin`, and the
 * TanStack Query keys, scoped per account + organization so caches never mix.
 */
import { unwrap, type Result } from '../../../shared/bridge'
export { BridgeError } from '../../../shared/bridge'

export const orgAdmin = () => window.orgAdmin

/** Await a bridge call and throw its error (with the server's code and message). */
export const call = <T>(result: Promise<Result<T>>): Promise<T> => unwrap(result)

export const qk = {
  accounts: ['accounts'] as const,
  suggestServer: ['suggestServer'] as const,
  orgs: (accountId: string) => ['orgs', accountId] as const,
  org: (accountId: string, orgId: string) => ['org', accountId, orgId] as const,
  members: (accountId: string, orgId: string) => ['members', accountId, orgId] as const,
  invitations: (accountId: string, orgId: string) => ['invitations', accountId, orgId] as const,
  domains: (accountId: string, orgId: string) => ['domains', accountId, orgId] as const,
  workspaces: (accountId: string, orgId: string) => ['workspaces', accountId, orgId] as const,
  recycleBin: (accountId: string, orgId: string) => ['recycleBin', accountId, orgId] as const,
  memberDetail: (accountId: string, orgId: string, userId: string) => ['memberDetail', accountId, orgId, userId] as const,
  activity: (accountId: string, orgId: string) => ['activity', accountId, orgId] as const,
  billing: (accountId: string, orgId: string) => ['billing', accountId, orgId] as const,
  joinRequests: (accountId: string, orgId: string) => ['joinRequests', accountId, orgId] as const,
  inbox: (accountId: string) => ['inbox', accountId] as const,
  apiKeys: (accountId: string, orgId: string) => ['apiKeys', accountId, orgId] as const,
}
