/**
 * Offline: main serves cached data flagged `offline`, and pushes `connectivity` events.
 * Either signal means mutations would fail, so actions are disabled up front with a reason.
 */
import { useAccounts } from '../hooks/queries'
import { useLive } from '../hooks/useBridgeEvents'
import { formatRelative, useNow } from './ui'

export const OFFLINE_REASON = "You're offline"

export function useOffline(accountId: string, envelope?: { offline: boolean } | undefined): boolean {
  const live = useLive((s) => s.online[accountId])
  const account = useAccounts().data?.find((a) => a.id === accountId)
  if (envelope?.offline) return true
  // A live event is newer than the account list snapshot.
  if (live !== undefined) return !live
  return account ? !account.online : false
}

export function OfflineBanner({ syncedAt }: { syncedAt: string | null }) {
  const now = useNow()
  return (
    <div role="status" className="alert alert-warning offline-banner">
      Offline — showing data last synced {syncedAt ? formatRelative(syncedAt, now) : 'never'}
    </div>
  )
}
