/** Trusted domains of one organization: the query, and every change with its invalidation. */
import { useMutation, useQueryClient } from '@tanstack/react-query'
import type { EnrollmentMode } from '../../../shared/api'
import { call, orgAdmin, qk } from '../lib/bridge'
import type { OrgRef } from '../stores/ui'

export { useDomains } from './queries'

export function useDomainMutations(ref: OrgRef) {
  const client = useQueryClient()
  const refresh = () => void client.invalidateQueries({ queryKey: qk.domains(ref.accountId, ref.orgId) })
  return {
    add: useMutation({ mutationFn: (domain: string) => call(orgAdmin().domains.add({ ...ref, domain })), onSuccess: refresh }),
    remove: useMutation({ mutationFn: (domain: string) => call(orgAdmin().domains.remove({ ...ref, domain })), onSuccess: refresh }),
    verify: useMutation({ mutationFn: (domain: string) => call(orgAdmin().domains.verify({ ...ref, domain })), onSuccess: refresh }),
    setEnrollment: useMutation({
      mutationFn: (v: { domain: string; enrollment: EnrollmentMode }) => call(orgAdmin().domains.setEnrollment({ ...ref, ...v })),
      onSuccess: () => {
        refresh()
        // Automatic invitation may have invited people already in the domain.
        void client.invalidateQueries({ queryKey: qk.invitations(ref.accountId, ref.orgId) })
      },
    }),
  }
}
