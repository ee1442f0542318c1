/** Server state, per account + organization, all through the bridge. */
import { useQuery } from '@tanstack/react-query'
import { call, orgAdmin, qk } from '../lib/bridge'
import type { OrgRef } from '../stores/ui'

export const useAccounts = () =>
  useQuery({ queryKey: qk.accounts, queryFn: () => call(orgAdmin().accounts.list({})) })

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
