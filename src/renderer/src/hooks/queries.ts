/** Server state, per account + organization, all through the bridge. */
import { useQueries, useQuery, useQueryClient } from '@tanstack/react-query'
import { useCallback } from 'react'
import type { Member, OrgSummary } from '../../../shared/api'
import { MAX_MEMBER_WINDOW, type AccountSummary, type Cached, type ChannelRequest, type MemberWindow } from '../../../shared/ipc'
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

/** Which members, and which window of them: main filters and sorts where the list lives. */
export type MemberListQuery = Omit<ChannelRequest<'members.list'>, 'accountId' | 'orgId'>

const memberWindowQuery = (ref: OrgRef, query: MemberListQuery) => ({
  queryKey: [...qk.members(ref.accountId, ref.orgId), query] as const,
  queryFn: () => call(orgAdmin().members.list({ ...ref, ...query })),
})

export const useMembers = (ref: OrgRef, query: MemberListQuery = {}) =>
  useQuery({
    ...memberWindowQuery(ref, query),
    // While the next window of the same org loads (a keystroke, a sort), the last one stays on screen.
    placeholderData: (previous: Cached<MemberWindow> | undefined, previousQuery?: { queryKey: readonly unknown[] }) =>
      previousQuery?.queryKey[1] === ref.accountId && previousQuery.queryKey[2] === ref.orgId ? previous : undefined,
  })

/**
 * Reads a window now and calls `then` once it is in the cache: within the call when it already
 * is, else when main answers (or fails: the page's query then shows the error). A keystroke
 * thus renders the page once, with its answer, not once with the last answer and again.
 */
export function useLoadMembers(ref: OrgRef): (query: MemberListQuery, then: () => void) => void {
  const client = useQueryClient()
  return useCallback(
    (query: MemberListQuery, then: () => void) => {
      const options = memberWindowQuery(ref, query)
      if (client.getQueryData(options.queryKey) !== undefined) return then()
      client.fetchQuery(options).then(then, then)
    },
    [client, ref],
  )
}

/** Several windows at once (the rows a scrolled table shows). No placeholders: a row either is the asked one or loads. */
export const useMemberWindows = (ref: OrgRef, queries: MemberListQuery[]) =>
  useQueries({ queries: queries.map((q) => memberWindowQuery(ref, q)) })

/** Every member matching a query, window by window (CSV export, "select all"). */
export async function readAllMembers(ref: OrgRef, query: Omit<MemberListQuery, 'offset' | 'limit'>): Promise<Member[]> {
  const out: Member[] = []
  for (let offset = 0; ; offset += MAX_MEMBER_WINDOW) {
    const { data } = await call(orgAdmin().members.list({ ...ref, ...query, offset, limit: MAX_MEMBER_WINDOW }))
    out.push(...data.members)
    if (offset + MAX_MEMBER_WINDOW >= data.matched) return out
  }
}

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
