/** The inbox of one account: invitations and suggestions for the signed-in person, and the answers to them. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { call, orgAdmin, qk } from '../lib/bridge'

export const useInbox = (accountId: string) =>
  useQuery({ queryKey: qk.inbox(accountId), queryFn: () => call(orgAdmin().inbox.list({ accountId })) })

export function useInboxMutations(accountId: string) {
  const client = useQueryClient()
  const refresh = () => void client.invalidateQueries({ queryKey: qk.inbox(accountId) })
  return {
    accept: useMutation({
      mutationFn: (invitationId: string) => call(orgAdmin().inbox.accept({ accountId, invitationId })),
      onSuccess: () => {
        refresh()
        void client.invalidateQueries({ queryKey: qk.orgs(accountId) })
      },
    }),
    decline: useMutation({ mutationFn: (invitationId: string) => call(orgAdmin().inbox.decline({ accountId, invitationId })), onSuccess: refresh }),
    requestToJoin: useMutation({ mutationFn: (orgId: string) => call(orgAdmin().inbox.requestToJoin({ accountId, orgId })), onSuccess: refresh }),
  }
}

/** Proving the account's address with the emailed code, or asking for a new one. */
export function useEmailVerification(accountId: string) {
  const client = useQueryClient()
  return {
    confirm: useMutation({
      mutationFn: (code: string) => call(orgAdmin().accounts.verifyEmail({ accountId, code })),
      // Verified: invitations and suggestions for the address may appear now.
      onSuccess: () => void client.invalidateQueries({ queryKey: qk.inbox(accountId) }),
    }),
    resend: useMutation({ mutationFn: () => call(orgAdmin().accounts.resendVerification({ accountId })) }),
  }
}
