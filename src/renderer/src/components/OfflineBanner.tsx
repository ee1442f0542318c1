/**
 * Offline: main serves cached data flagged `offline`, and pushes `connectivity` events.
 * Either signal means mutations would fail, so actions are disabled up front with a reason.
 */
import { useEffect } from 'react'
import { useAccounts } from '../hooks/queries'
import { useLive } from '../hooks/useBridgeEvents'
import { accountLine } from './AccountLabel'
import { formatRelative, useNow } from './ui'

export const OFFLINE_REASON = "You're offline"

/** Main's account state is the one source; `connectivity` events refetch it. */
export function useOffline(accountId: string, envelope?: { offline: boolean } | undefined): boolean {
  const account = useAccounts().data?.find((a) => a.id === accountId)
  if (account) return account.state === 'offline'
  return envelope?.offline ?? false
}

export function OfflineBanner({ syncedAt }: { syncedAt: string | null }) {
  const now = useNow()
  return (
    <div role="status" className="alert alert-warning offline-banner">
      Offline — showing data last synced {syncedAt ? formatRelative(syncedAt, now) : 'never'}
    </div>
  )
}

/** "Offline" ends by itself when main's reconnect probe succeeds: say so, briefly. */
export function ReconnectedNotice() {
  const accountId = useLive((s) => s.reconnected)
  const account = useAccounts().data?.find((a) => a.id === accountId)
  useEffect(() => {
    if (!accountId) return
    const timer = setTimeout(() => useLive.setState({ reconnected: null }), 6_000)
    return () => clearTimeout(timer)
  }, [accountId])
  return (
    <div role="status" className="reconnected-notice">
      {account && <span className="alert alert-success">Back online — {accountLine(account)} answers again.</span>}
    </div>
  )
}
