/**
 * Role changes and removals. Main refreshes its caches in the background and pushes
 * `cache.updated`; meanwhile the member list in the query cache is patched at once so the
 * table never shows the old role after a successful save.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query'
import type { Member } from '../../../shared/api'
import type { Cached, MemberSnapshot } from '../../../shared/ipc'
import type { Role } from '../../../shared/roles'
import { call, orgAdmin, qk } from '../lib/bridge'
import type { OrgRef } from '../stores/ui'

function usePatchMembers(ref: OrgRef) {
  const client = useQueryClient()
  return (patch: (members: Member[]) => Member[]) => {
    client.setQueryData<Cached<MemberSnapshot>>(qk.members(ref.accountId, ref.orgId), (old) =>
      old ? { ...old, data: { ...old.data, members: patch(old.data.members) } } : old,
    )
    void client.invalidateQueries({ queryKey: qk.orgs(ref.accountId) })
    void client.invalidateQueries({ queryKey: qk.org(ref.accountId, ref.orgId) })
  }
}

/** Applies one role to each member in turn; stops at the first refusal (its message is shown). */
export function useChangeRoles(ref: OrgRef) {
  const patch = usePatchMembers(ref)
  return useMutation({
    mutationFn: async ({ members, role }: { members: Member[]; role: Role }) => {
      for (const m of members) {
        if (m.role === role) continue
        const updated = await call(orgAdmin().members.changeRole({ ...ref, userId: m.userId, role }))
        patch((list) => list.map((x) => (x.userId === updated.userId ? updated : x)))
      }
    },
  })
}

export function useRemoveMembers(ref: OrgRef) {
  const patch = usePatchMembers(ref)
  return useMutation({
    mutationFn: async (members: Member[]) => {
      for (const m of members) {
        await call(orgAdmin().members.remove({ ...ref, userId: m.userId }))
        patch((list) => list.filter((x) => x.userId !== m.userId))
      }
    },
  })
}
