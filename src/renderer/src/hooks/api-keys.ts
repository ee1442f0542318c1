/** API keys of one organization: the list (read fresh) and create/revoke with their invalidation. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { CreateApiKeyRequest } from '../../../shared/api'
import { call, orgAdmin, qk } from '../lib/bridge'
import type { OrgRef } from '../stores/ui'

export function useApiKeys(ref: OrgRef) {
  return useQuery({ queryKey: qk.apiKeys(ref.accountId, ref.orgId), queryFn: () => call(orgAdmin().apiKeys.list(ref)) })
}

export function useApiKeyMutations(ref: OrgRef) {
  const client = useQueryClient()
  const refresh = () => {
    void client.invalidateQueries({ queryKey: qk.apiKeys(ref.accountId, ref.orgId) })
    void client.invalidateQueries({ queryKey: qk.activity(ref.accountId, ref.orgId) })
  }
  return {
    create: useMutation({ mutationFn: (request: CreateApiKeyRequest) => call(orgAdmin().apiKeys.create({ ...ref, request })), onSuccess: refresh }),
    revoke: useMutation({ mutationFn: (keyId: string) => call(orgAdmin().apiKeys.revoke({ ...ref, keyId })), onSuccess: refresh }),
  }
}
