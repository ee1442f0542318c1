/** Server state, per account + organization, all through the bridge. */
import { useQueries, useQuery } from '@tanstack/react-query'
import type { OrgSummary } from '../../../shared/api'
import type { AccountSummary } from '../../../shared/ipc'
import { call, orgAdmin, qk } from '../lib/bridge'
import type { OrgRef } from '../stores/ui'

export const useAccounts = () =>
  useQuery({ queryKey: qk.accounts, queryFn: () => call(orgAdmin().accounts.list({})) })

/** The signed-in account behind an organization: who "you" are on its pages. */
export const useAccount = (accountId: string) => useAccounts().data?.find((a) => a.id === accountId)

export const useOrgs = (accountId: string) =>
  useQuery({ queryKey: qk.orgs(accountId), queryFn: () => call(orgAdmin().orgs.list({ accountId })) })

export const useOrg = (ref: OrgRef) =>
  useQuery({ queryKey: qk.org(ref.accountId, ref.orgId), queryFn: () => call(orgAdmin().orgs.get(ref)) })

export const useMembers = (ref: OrgRef) =>
  useQuery({ queryKey: qk.members(ref.accountId, ref.orgId), queryFn: () => call(orgAdmin().members.list(ref)) })

export const useInvitations = (ref: OrgRef) =>
  useQuery({ queryKey: qk.invitations(ref.accountId, ref.orgId), queryFn: () => call(orgAdmin().invitations.list(ref)) })

export const useDomains = (ref: OrgRef) =>
  useQuery({ queryKey: qk.domains(ref.accountId, ref.orgId), queryFn: () => call(orgAdmin().domains.list(ref)) })

export const useWorkspaces = (ref: OrgRef) =>
  useQuery({ queryKey: qk.workspaces(ref.accountId, ref.orgId), queryFn: () => call(orgAdmin().workspaces.list(ref)) })

export const useBilling = (ref: OrgRef) =>
  useQuery({ queryKey: qk.billing(ref.accountId, ref.orgId), queryFn: () => call(orgAdmin().billing.get(ref)) })

export interface OrgEntry {
  account: AccountSummary
  org: OrgSummary
  ref: OrgRef
}
export interface AccountGroup {
  account: AccountSummary
  orgs: OrgSummary[]
  error: unknown
  isLoading: boolean
  /** The org list came from the cache because the server could not be reached. */
  offline: boolean
}

/** Every organization of every account (one orgs.list query per account), for switchers and lists. */
export function useOrgDirectory() {
  const accountsQuery = useAccounts()
  const accounts = accountsQuery.data ?? []
  const results = useQueries({
    queries: accounts.map((a) => ({
      queryKey: qk.orgs(a.id),
      queryFn: () => call(orgAdmin().orgs.list({ accountId: a.id })),
    })),
  })
  const groups: AccountGroup[] = accounts.map((account, i) => ({
    account,
    orgs: results[i]?.data?.data ?? [],
    error: results[i]?.error ?? null,
    isLoading: results[i]?.isLoading ?? true,
    offline: results[i]?.data?.offline ?? false,
  }))
  const entries: OrgEntry[] = groups.flatMap((g) =>
    g.orgs.map((org) => ({ account: g.account, org, ref: { accountId: g.account.id, orgId: org.id } })),
  )
  return { accountsQuery, accounts, groups, entries, isLoading: accountsQuery.isLoading || groups.some((g) => g.isLoading) }
}
