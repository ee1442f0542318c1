/**
 * Invite one or more people with one role. Addresses are checked as they are typed
 * (invalid, duplicate, already a member, already invited, over the user limit), people
 * in trusted domains are suggested, and nothing typed is lost when the server refuses.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect, useId, useMemo, useState } from 'react'
import type { CreateInvitationsResponse, Invitation, OrgDetail } from '../../../../shared/api'
import { invitableRoles, ROLE_LABELS, type Role } from '../../../../shared/roles'
import { useMembers } from '../../hooks/queries'
import { call, orgAdmin, qk } from '../../lib/bridge'
import { checkAddresses, currentFragment, parseAddresses, STATUS_TEXT, type CheckedAddress } from '../../lib/emails'
import type { OrgRef } from '../../stores/ui'
import { OFFLINE_REASON } from '../OfflineBanner'
import { ErrorMessage } from '../ui'
import { CopyLink } from './CopyLink'

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value)
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms)
    return () => clearTimeout(t)
  }, [value, ms])
  return v
}

export function InviteForm({
  orgRef,
  org,
  invitations,
  offline,
}: {
  orgRef: OrgRef
  org: OrgDetail
  invitations: Invitation[]
  offline: boolean
}) {
  const client = useQueryClient()
  const textId = useId()
  const [text, setText] = useState('')
  const roles = invitableRoles(org.myRole)
  const [role, setRole] = useState<Role>('member')
  const [result, setResult] = useState<CreateInvitationsResponse | null>(null)
  const members = useMembers(orgRef).data?.data.members
  const memberEmails = useMemo(() => new Set(members?.map((m) => m.email.toLowerCase())), [members])
  const pendingEmails = useMemo(
    () => new Set(invitations.filter((i) => i.status === 'pending').map((i) => i.email.toLowerCase())),
    [invitations],
  )
  const seatsLeft = org.memberLimit - org.memberCount - org.pendingInvitationCount
  const checked = useMemo(
    () => checkAddresses(parseAddresses(text), { members: memberEmails, pending: pendingEmails, seatsLeft }),
    [text, memberEmails, pendingEmails, seatsLeft],
  )
  const sendable = checked.filter((c) => c.status !== 'invalid' && c.status !== 'duplicate')

  const fragment = useDebounced(currentFragment(text), 200)
  const suggestions = useQuery({
    queryKey: ['discover', orgRef.accountId, orgRef.orgId, fragment],
    queryFn: () => call(orgAdmin().users.discover({ ...orgRef, q: fragment })),
    enabled: fragment.length >= 2 && !offline,
    staleTime: 30_000,
  })
  const suggested = (suggestions.data?.items ?? []).filter((u) => !checked.some((c) => c.email === u.email))

  const invite = useMutation({
    mutationFn: () => call(orgAdmin().invitations.create({ ...orgRef, emails: sendable.map((c) => c.email), role })),
    onSuccess: (res) => {
      setResult(res)
      // Keep what was not accepted so it can be corrected and sent again.
      const rejected = new Set(res.rejected.map((r) => r.email.toLowerCase()))
      const keep = checked.filter((c) => c.status === 'invalid' || rejected.has(c.email)).map((c) => c.raw)
      setText(keep.join('\n'))
      for (const key of [qk.invitations, qk.org, qk.members]) void client.invalidateQueries({ queryKey: key(orgRef.accountId, orgRef.orgId) })
      void client.invalidateQueries({ queryKey: qk.orgs(orgRef.accountId) })
    },
  })

  const pick = (email: string) => {
    const before = text.slice(0, text.length - currentFragment(text).length)
    setText(`${before}${email}, `)
  }

  return (
    <form
      className="card stack invite-form"
      aria-label="Invite people"
      onSubmit={(e) => {
        e.preventDefault()
        if (sendable.length) invite.mutate()
      }}
    >
      <h2>Invite people</h2>
      <label className="field" htmlFor={textId}>
        <span>Email addresses</span>
      </label>
      <textarea
        id={textId}
        className="input"
        rows={3}
        value={text}
        placeholder="ana@example.com, ben@example.com — or paste a list or a CSV with an email column"
        onChange={(e) => setText(e.target.value)}
      />
      {suggested.length > 0 && (
        <ul role="listbox" aria-label="Suggestions" className="suggestions">
          {suggested.map((u) => (
            <li key={u.email} role="option" aria-selected={false} tabIndex={0} onClick={() => pick(u.email)} onKeyDown={(e) => e.key === 'Enter' && (e.preventDefault(), pick(u.email))}>
              <strong>{u.displayName}</strong> <span className="muted">{u.email}</span>
              <span className="badge">trusted domain</span>
            </li>
          ))}
        </ul>
      )}
      {checked.length > 0 && <AddressList checked={checked} />}
      <div className="row invite-actions">
        <label className="field">
          <span>Role</span>
          <select className="input" value={role} onChange={(e) => setRole(e.target.value as Role)} disabled={roles.length === 1}>
            {roles.map((r) => (
              <option key={r} value={r}>
                {ROLE_LABELS[r]}
              </option>
            ))}
          </select>
        </label>
        <span className="muted seats">
          {Math.max(0, seatsLeft)} of {org.memberLimit} seats free
        </span>
        <span className="spacer" />
        <button
          type="submit"
          className="btn btn-primary"
          disabled={offline || sendable.length === 0 || invite.isPending}
          title={offline ? OFFLINE_REASON : undefined}
        >
          {invite.isPending ? 'Sending…' : `Send invitation${sendable.length === 1 ? '' : 's'}`}
        </button>
      </div>
      {roles.length === 1 && (
        <p className="muted reason">As {ROLE_LABELS[org.myRole]} you can invite people as Member only.</p>
      )}
      <ErrorMessage error={invite.error} />
      {result && <InviteOutcome result={result} />}
    </form>
  )
}

function AddressList({ checked }: { checked: CheckedAddress[] }) {
  return (
    <ul className="address-list" aria-label="Addresses to invite">
      {checked.map((c, i) => (
        <li key={`${c.raw}-${i}`} className={`address address-${c.status}`}>
          <span className="truncate">{c.email}</span>
          <span className={`badge ${c.status === 'ok' ? 'badge-success' : c.status === 'invalid' || c.status === 'over_cap' ? 'badge-danger' : 'badge-warning'}`}>
            {STATUS_TEXT[c.status]}
          </span>
        </li>
      ))}
    </ul>
  )
}

function InviteOutcome({ result }: { result: CreateInvitationsResponse }) {
  const [copying, setCopying] = useState<string | null>(null)
  return (
    <div className="stack outcome" aria-label="Invitation results">
      {result.invited.length > 0 && (
        <div role="status">
          <strong>Invited {result.invited.length}</strong>
          <ul className="compact-list">
            {result.invited.map(({ invitation, link }) => (
              <li key={invitation.id}>
                {invitation.email}{' '}
                <button type="button" className="btn btn-sm" aria-label={`Copy link for ${invitation.email}`} onClick={() => setCopying(link.url)}>
                  Copy link
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      {result.rejected.length > 0 && (
        <div role="alert" className="alert alert-error">
          <strong>Not invited</strong>
          <ul className="compact-list">
            {result.rejected.map((r) => (
              <li key={r.email}>{r.message}</li>
            ))}
          </ul>
        </div>
      )}
      {copying && <CopyLink url={copying} />}
    </div>
  )
}
