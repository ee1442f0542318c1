/**
 * Organization settings: name and slug (Owners edit; everyone else reads), seats and created
 * date, and for Owners a danger zone to delete the organization with its name typed.
 */
import { useState } from 'react'
import type { OrgDetail } from '../../../shared/api'
import { can } from '../../../shared/roles'
import { seatsText } from '../../../shared/seats'
import { DeleteOrgDialog } from '../components/DeleteOrgDialog'
import { SlugField, slugProblem } from '../components/SlugField'
import { OFFLINE_REASON, OfflineBanner, useOffline } from '../components/OfflineBanner'
import { ErrorMessage, formatDate, Skeleton } from '../components/ui'
import { useUpdateOrg } from '../hooks/orgs'
import { useOrg } from '../hooks/queries'
import { useCurrentOrg, type OrgRef } from '../stores/ui'
import '../styles/pages.css'

export function SettingsPage() {
  const ref = useCurrentOrg()
  const org = useOrg(ref)
  const offline = useOffline(ref.accountId, org.data)
  const detail = org.data?.data
  const [deleting, setDeleting] = useState(false)
  const owner = !!detail && can(detail.myRole, 'org.settings.update')
  return (
    <section className="stack" aria-labelledby="settings-title">
      <div className="page-header">
        <h1 id="settings-title">Settings</h1>
        {detail && <span className="muted">{detail.name}</span>}
      </div>
      {offline && <OfflineBanner syncedAt={org.data?.syncedAt ?? null} />}
      <ErrorMessage error={org.error} />
      {org.isLoading && <Skeleton label="Loading settings" rows={4} />}
      {detail && (
        <>
          {owner ? <GeneralForm key={detail.id} orgRef={ref} org={detail} offline={offline} /> : <GeneralView org={detail} />}
          <div className="card stack" role="region" aria-label="Seats and dates">
            <h2>Seats</h2>
            <dl className="settings-facts">
              <dt>Member limit</dt>
              <dd>{detail.memberLimit}</dd>
              <dt>Seats used</dt>
              <dd>{seatsText(detail)}</dd>
              <dt>Created</dt>
              <dd>
                <time dateTime={detail.createdAt}>{formatDate(detail.createdAt)}</time>
              </dd>
            </dl>
          </div>
          {can(detail.myRole, 'org.delete') && (
            <div className="card stack danger-zone" role="region" aria-labelledby="danger-title">
              <h2 id="danger-title">Danger zone</h2>
              <div className="danger-row">
                <p>
                  <strong>Delete this organization.</strong> Everyone in it loses access at once, pending invitations and requests to join
                  end, and it cannot be undone.
                </p>
                <button className="btn btn-danger" disabled={offline} title={offline ? OFFLINE_REASON : undefined} onClick={() => setDeleting(true)}>
                  Delete organization…
                </button>
              </div>
            </div>
          )}
          {deleting && <DeleteOrgDialog orgRef={ref} org={detail} onClose={() => setDeleting(false)} />}
        </>
      )}
    </section>
  )
}

function GeneralView({ org }: { org: OrgDetail }) {
  return (
    <div className="card stack" role="region" aria-label="General">
      <h2>General</h2>
      <dl className="settings-facts">
        <dt>Name</dt>
        <dd>{org.name}</dd>
        <dt>Slug</dt>
        <dd>
          <code>{org.slug}</code>
        </dd>
      </dl>
      <p className="muted">Only an Owner can change the organization settings.</p>
    </div>
  )
}

function GeneralForm({ orgRef, org, offline }: { orgRef: OrgRef; org: OrgDetail; offline: boolean }) {
  const [name, setName] = useState(org.name)
  const [slug, setSlug] = useState(org.slug)
  const update = useUpdateOrg(orgRef)
  const slugError = slugProblem(slug)
  const cleanSlug = slug.trim().toLowerCase()
  const patch = { ...(name.trim() !== org.name ? { name: name.trim() } : {}), ...(!slugError && cleanSlug !== org.slug ? { slug: cleanSlug } : {}) }
  const changed = Object.keys(patch).length > 0
  const valid = name.trim().length > 0 && !slugError
  return (
    <form
      className="card stack"
      aria-label="General"
      onSubmit={(e) => {
        e.preventDefault()
        if (changed && valid) update.mutate(patch)
      }}
    >
      <h2>General</h2>
      <label className="field">
        <span>Name</span>
        <input className="input" value={name} maxLength={120} required onChange={(e) => setName(e.target.value)} />
      </label>
      <SlugField label="Slug" value={slug} onChange={setSlug} help="A short name unique on this server: lowercase letters, digits and hyphens." />
      <ErrorMessage error={update.error} />
      {update.isSuccess && !changed && <p className="alert alert-success" role="status">Settings saved.</p>}
      <div className="row">
        <button className="btn btn-primary" type="submit" disabled={!changed || !valid || update.isPending || offline} title={offline ? OFFLINE_REASON : undefined}>
          {update.isPending ? 'Saving…' : 'Save changes'}
        </button>
      </div>
    </form>
  )
}
