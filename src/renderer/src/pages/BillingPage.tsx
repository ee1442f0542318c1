/** Billing summary for Owners and Billing Admins: plan, seats, daily usage, invoices. */
import type { OrgDetail } from '../../../shared/api'
import { can } from '../../../shared/roles'
import { seatsOf, seatsText } from '../../../shared/seats'
import { OfflineBanner, useOffline } from '../components/OfflineBanner'
import { EmptyState, ErrorMessage, formatDate, Skeleton } from '../components/ui'
import { useBilling, useOrg } from '../hooks/queries'
import { useCurrentOrg } from '../stores/ui'
import '../styles/pages.css'

const STATUS_BADGE = { paid: 'badge-success', open: 'badge-warning', void: '' } as const

export function BillingPage() {
  const ref = useCurrentOrg()
  const org = useOrg(ref).data?.data
  const allowed = org ? can(org.myRole, 'billing.view') : false
  if (org && !allowed) {
    return (
      <section className="stack" aria-labelledby="billing-title">
        <h1 id="billing-title">Billing</h1>
        <EmptyState title="Only Owners and Billing Admins can see billing">Ask an Owner or a Billing Admin of {org.name}.</EmptyState>
      </section>
    )
  }
  return <BillingSummary org={org} />
}

function BillingSummary({ org }: { org: OrgDetail | undefined }) {
  const ref = useCurrentOrg()
  const billing = useBilling(ref)
  const offline = useOffline(ref.accountId, billing.data)
  const b = billing.data?.data
  const money = new Intl.NumberFormat(undefined, { style: 'currency', currency: b?.currency ?? 'USD' })
  const peak = Math.max(1, ...(b?.usage.map((u) => u.amountCents) ?? []))
  const monthTotal = b?.usage.reduce((sum, u) => sum + u.amountCents, 0) ?? 0
  return (
    <section className="stack" aria-labelledby="billing-title">
      <div className="page-header">
        <h1 id="billing-title">Billing</h1>
        {b && <span className="badge badge-owner">{b.plan} plan</span>}
      </div>
      {offline && <OfflineBanner syncedAt={billing.data?.syncedAt ?? null} />}
      <ErrorMessage error={billing.error} />
      {billing.isLoading && <Skeleton label="Loading billing" />}
      {b && (
        <>
          {org && <SeatMeter org={org} />}
          <div className="card stack" aria-label="Usage">
            <h2>Usage, last {b.usage.length} days · {money.format(monthTotal / 100)}</h2>
            <div className="usage-chart" aria-hidden="true">
              {b.usage.map((u) => (
                <span key={u.date} style={{ height: `${(u.amountCents / peak) * 100}%` }} title={`${u.date}: ${money.format(u.amountCents / 100)}`} />
              ))}
            </div>
            <details>
              <summary>Usage as a table</summary>
              <table className="simple" aria-label="Daily usage">
                <tbody>
                  {b.usage.map((u) => (
                    <tr key={u.date}><td>{formatDate(u.date)}</td><td className="num">{money.format(u.amountCents / 100)}</td></tr>
                  ))}
                </tbody>
              </table>
            </details>
          </div>
          <div className="card stack">
            <h2>Invoices</h2>
            {b.invoices.length === 0 ? (
              <EmptyState title="No invoices yet" />
            ) : (
              <table className="simple" aria-label="Invoices">
                <thead>
                  <tr><th scope="col">Period</th><th scope="col">Invoice</th><th scope="col">Status</th><th scope="col" className="num">Amount</th></tr>
                </thead>
                <tbody>
                  {b.invoices.map((i) => (
                    <tr key={i.id}>
                      <td>{formatDate(i.periodStart)} – {formatDate(i.periodEnd)}</td>
                      <td className="muted">{i.id}</td>
                      <td><span className={`badge ${STATUS_BADGE[i.status]}`}>{i.status}</span></td>
                      <td className="num">{money.format(i.amountCents / 100)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>
        </>
      )}
    </section>
  )
}

/** Seats from the organization query the Invitations and Organizations pages use: one number. */
function SeatMeter({ org }: { org: OrgDetail }) {
  const seats = seatsOf(org)
  return (
    <div className="card stack" aria-label="Seats">
      <h2>Seats</h2>
      <div className="seat-bar" role="meter" aria-valuemin={0} aria-valuemax={seats.limit} aria-valuenow={seats.used} aria-label="Seats used">
        <span style={{ width: `${Math.min(100, (seats.used / seats.limit) * 100)}%` }} />
      </div>
      <span className="muted">{seatsText(org)}</span>
    </div>
  )
}
