/**
 * Main pushes events (cache refreshed, connectivity, session expired, sync progress);
 * this hook turns them into query invalidations and a small connectivity map.
 */
import { useQueryClient } from '@tanstack/react-query'
import { useEffect } from 'react'
import { create } from 'zustand'
import type { Events } from '../../../shared/ipc'
import { orgAdmin, qk } from '../lib/bridge'

interface LiveState {
  online: Record<string, boolean>
  expired: Record<string, boolean>
  progress: Record<string, Events['sync.progress']>
}
/** Transient status from main's events (not server data): online per account, sync progress per org. */
export const useLive = create<LiveState>(() => ({ online: {}, expired: {}, progress: {} }))

const kindKey = {
  orgs: (a: string) => qk.orgs(a),
  org: (a: string, o: string) => qk.org(a, o),
  members: (a: string, o: string) => qk.members(a, o),
  invitations: (a: string, o: string) => qk.invitations(a, o),
  domains: (a: string, o: string) => qk.domains(a, o),
  workspaces: (a: string, o: string) => qk.workspaces(a, o),
  billing: (a: string, o: string) => qk.billing(a, o),
} as const

export function useBridgeEvents(): void {
  const client = useQueryClient()
  useEffect(() => {
    const api = orgAdmin()
    const offs = [
      api.on('cache.updated', ({ accountId, orgId, kind }) => {
        const key = kind === 'orgs' ? kindKey.orgs(accountId) : orgId ? kindKey[kind](accountId, orgId) : null
        if (key) void client.invalidateQueries({ queryKey: key })
      }),
      api.on('connectivity', ({ accountId, online }) =>
        useLive.setState((s) => ({ online: { ...s.online, [accountId]: online } })),
      ),
      api.on('session.expired', ({ accountId }) => {
        useLive.setState((s) => ({ expired: { ...s.expired, [accountId]: true } }))
        void client.invalidateQueries({ queryKey: qk.accounts })
      }),
      api.on('sync.progress', (p) =>
        useLive.setState((s) => ({ progress: { ...s.progress, [`${p.accountId}/${p.orgId}`]: p } })),
      ),
      api.on('accounts.changed', () => void client.invalidateQueries({ queryKey: qk.accounts })),
    ]
    return () => offs.forEach((off) => off())
  }, [client])
}
