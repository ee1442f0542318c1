/** Workspaces, the recycle bin and the member panel: queries, and every change with its invalidation. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { WorkspaceRole } from '../../../shared/roles'
import { call, orgAdmin, qk } from '../lib/bridge'
import type { OrgRef } from '../stores/ui'

export { useWorkspaces } from './queries'

export const useRecycleBin = (ref: OrgRef, enabled: boolean) =>
  useQuery({ queryKey: qk.recycleBin(ref.accountId, ref.orgId), queryFn: () => call(orgAdmin().recycleBin.list(ref)), enabled })

export const useMemberDetail = (ref: OrgRef, userId: string) =>
  useQuery({ queryKey: qk.memberDetail(ref.accountId, ref.orgId, userId), queryFn: () => call(orgAdmin().members.detail({ ...ref, userId })) })

/** What one person did lately; Owners only (activity.view). */
export const usePersonActivity = (ref: OrgRef, userId: string, enabled: boolean) =>
  useQuery({
    queryKey: [...qk.activity(ref.accountId, ref.orgId), 'subject', userId] as const,
    queryFn: () => call(orgAdmin().activity.list({ ...ref, subject: userId, limit: 10 })),
    enabled,
  })

export function useWorkspaceMutations(ref: OrgRef) {
  const client = useQueryClient()
  // Workspace changes move members' workspace counts and the org's workspace count too.
  const onSuccess = () => {
    for (const key of [qk.workspaces, qk.recycleBin, qk.members, qk.org, qk.activity]) void client.invalidateQueries({ queryKey: key(ref.accountId, ref.orgId) })
    void client.invalidateQueries({ queryKey: ['memberDetail', ref.accountId, ref.orgId] })
    void client.invalidateQueries({ queryKey: qk.orgs(ref.accountId) })
  }
  const m = <V,>(fn: (v: V) => Promise<unknown>) => useMutation({ mutationFn: fn, onSuccess })
  return {
    create: m((name: string) => call(orgAdmin().workspaces.create({ ...ref, name }))),
    rename: m((v: { workspaceId: string; name: string }) => call(orgAdmin().workspaces.rename({ ...ref, ...v }))),
    remove: m((workspaceId: string) => call(orgAdmin().workspaces.delete({ ...ref, workspaceId }))),
    setMember: m((v: { workspaceId: string; userId: string; role: WorkspaceRole }) => call(orgAdmin().workspaces.setMember({ ...ref, ...v }))),
    removeMember: m((v: { workspaceId: string; userId: string }) => call(orgAdmin().workspaces.removeMember({ ...ref, ...v }))),
    restore: m((workspaceId: string) => call(orgAdmin().recycleBin.restore({ ...ref, workspaceId }))),
    purge: m((workspaceId: string) => call(orgAdmin().recycleBin.purge({ ...ref, workspaceId }))),
  }
}
