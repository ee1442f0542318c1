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
  expired: Record<string, boolean>
  progress: Record<string, Events['sync.progress']>
  /** The account whose server just answered again after being unreachable (announced briefly). */
  reconnected: string | null
}
/** Transient status from main's events (not server data): sync progress per org, notices. */
export const useLive = create<LiveState>(() => ({ expired: {}, progress: {}, reconnected: null }))

const kindKey = {
  orgs: (a: string) => qk.orgs(a),
  org: (a: string, o: string) => qk.org(a, o),
  members: (a: string, o: string) => qk.members(a, o),
  invitations: (a: string, o: string) => qk.invitations(a, o),
  domains: (a: string, o: string) => qk.domains(a, o),
  workspaces: (a: string, o: string) => qk.workspaces(a, o),
  billing: (a: string, o: string) => qk.billing(a, o),
  activity: (a: string, o: string) => qk.activity(a, o),
  joinRequests: (a: string, o: string) => qk.joinRequests(a, o),
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
      api.on('connectivity', ({ accountId, online }) => {
        // The account's state lives in main: read it again. Back online: everything of that
        // account may have been served from the cache, so fetch it afresh and say so.
        void client.invalidateQueries({ predicate: (q) => q.queryKey[0] === 'accounts' || (online && q.queryKey[1] === accountId) })
        useLive.setState({ reconnected: online ? accountId : null })
      }),
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
