/**
 * Role changes and removals. Main shows each accepted edit at once on top of its cached
 * list (until a sync confirms it), so invalidating the member windows is enough here.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query'
import type { Member } from '../../../shared/api'
import type { Role } from '../../../shared/roles'
import { call, orgAdmin, qk } from '../lib/bridge'
import type { OrgRef } from '../stores/ui'

function useInvalidateOrg(ref: OrgRef) {
  const client = useQueryClient()
  return () => {
    void client.invalidateQueries({ queryKey: qk.members(ref.accountId, ref.orgId) })
    void client.invalidateQueries({ queryKey: qk.orgs(ref.accountId) })
    void client.invalidateQueries({ queryKey: qk.org(ref.accountId, ref.orgId) })
  }
}

/** Applies one role to each member in turn; stops at the first refusal (its message is shown). */
export function useChangeRoles(ref: OrgRef) {
  const invalidate = useInvalidateOrg(ref)
  return useMutation({
    mutationFn: async ({ members, role }: { members: Member[]; role: Role }) => {
      for (const m of members) {
        if (m.role === role) continue
        await call(orgAdmin().members.changeRole({ ...ref, userId: m.userId, role }))
      }
    },
    onSettled: invalidate,
  })
}

export function useRemoveMembers(ref: OrgRef) {
  const invalidate = useInvalidateOrg(ref)
  return useMutation({
    mutationFn: async (members: Member[]) => {
      for (const m of members) {
        await call(orgAdmin().members.remove({ ...ref, userId: m.userId }))
      }
    },
    onSettled: invalidate,
  })
}
