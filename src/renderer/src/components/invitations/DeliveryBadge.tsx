/** Where the invitation email is: waiting in the server's outbox, handed to the mail server, or retrying after a failure. */
import type { DeliveryState } from '../../../../shared/api'

const LOOK: Record<DeliveryState, { text: string; className: string; title: string }> = {
  queued: { text: 'email queued', className: 'badge', title: 'The email is waiting to be sent' },
  sent: { text: 'email sent', className: 'badge badge-success', title: 'The mail server accepted the email' },
  failed: { text: 'email failed, retrying', className: 'badge badge-danger', title: 'The last attempt failed; the server keeps retrying' },
}

export function DeliveryBadge({ state }: { state: DeliveryState }) {
  const look = LOOK[state]
  return <span className={look.className} title={look.title}>{look.text}</span>
}
