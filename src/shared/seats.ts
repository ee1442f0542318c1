/**
 * Seats: the per-organization limit counts members and pending invitations (the server's cap
 * rule). Every page that shows seats derives them here, so Invitations, Billing and
 * Organizations always agree.
 */
export interface SeatCounts {
  memberCount: number
  pendingInvitationCount: number
  memberLimit: number
}

export interface Seats {
  used: number
  limit: number
  free: number
}

export function seatsOf(org: SeatCounts): Seats {
  const used = org.memberCount + org.pendingInvitationCount
  return { used, limit: org.memberLimit, free: Math.max(0, org.memberLimit - used) }
}

/** "92 of 100 seats used (90 members, 2 pending invitations)": the same words on every page. */
export function seatsText(org: SeatCounts): string {
  const { used, limit } = seatsOf(org)
  const pending = org.pendingInvitationCount
  return `${used} of ${limit} seats used${pending ? ` (${org.memberCount} members, ${pending} pending invitation${pending === 1 ? '' : 's'})` : ''}`
}
