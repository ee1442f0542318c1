/** Organization lifecycle and requests to join: queries, mutations and what each invalidates. */
import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query'
import type { CreateOrgRequest, UpdateOrgRequest } from '../../../shared/api'
import { call, orgAdmin, qk } from '../lib/bridge'
import { useUi, type OrgRef } from '../stores/ui'

/** The organization is gone for this account (left or deleted): forget its queries; the shell selects another. */
export async function forgetOrg(client: QueryClient, ref: OrgRef): Promise<void> {
  const { current, recent } = useUi.getState()
  const same = (r: OrgRef | null) => r?.accountId === ref.accountId && r.orgId === ref.orgId
  useUi.setState({ current: same(current) ? null : current, recent: recent.filter((r) => !same(r)) })
  client.removeQueries({ predicate: (q) => q.queryKey[1] === ref.accountId && q.queryKey[2] === ref.orgId })
  await client.invalidateQueries({ queryKey: qk.orgs(ref.accountId) })
}

export function useCreateOrg() {
  const client = useQueryClient()
  return useMutation({
    mutationFn: ({ accountId, ...req }: CreateOrgRequest & { accountId: string }) => call(orgAdmin().orgs.create({ accountId, ...req })),
    onSuccess: async (org, { accountId }) => {
      await client.invalidateQueries({ queryKey: qk.orgs(accountId) })
      useUi.getState().selectOrg({ accountId, orgId: org.id })
      useUi.getState().setPage('settings')
    },
  })
}

export function useUpdateOrg(ref: OrgRef) {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (patch: UpdateOrgRequest) => call(orgAdmin().orgs.update({ ...ref, patch })),
    onSuccess: (org) => {
      client.setQueryData(qk.org(ref.accountId, ref.orgId), (old: { data: unknown } | undefined) => (old ? { ...old, data: org } : old))
      void client.invalidateQueries({ queryKey: qk.orgs(ref.accountId) })
    },
  })
}

export function useDeleteOrg(ref: OrgRef) {
  const client = useQueryClient()
  return useMutation({
    mutationFn: (confirmName: string) => call(orgAdmin().orgs.delete({ ...ref, confirmName })),
    // Main dropped it from every account's cache and re-read their lists.
    onSuccess: async () => {
      await forgetOrg(client, ref)
      await client.invalidateQueries({ queryKey: ['orgs'] })
      useUi.getState().setPage('organizations')
    },
  })
}

export const useJoinRequests = (ref: OrgRef, enabled = true) =>
  useQuery({
    queryKey: qk.joinRequests(ref.accountId, ref.orgId),
    queryFn: () => call(orgAdmin().joinRequests.list(ref)),
    enabled,
  })

export function useDecideJoinRequest(ref: OrgRef) {
  const client = useQueryClient()
  return useMutation({
    mutationFn: ({ requestId, approve }: { requestId: string; approve: boolean }) =>
      call((approve ? orgAdmin().joinRequests.approve : orgAdmin().joinRequests.decline)({ ...ref, requestId })),
    onSettled: (_r, _e, { approve }) => {
      const keys = approve ? [qk.joinRequests, qk.members, qk.org] : [qk.joinRequests]
      for (const key of keys) void client.invalidateQueries({ queryKey: key(ref.accountId, ref.orgId) })
      if (approve) void client.invalidateQueries({ queryKey: qk.orgs(ref.accountId) })
    },
  })
}
