/**
 * Invite one or more people with one role. Addresses are checked as they are typed
 * (invalid, duplicate, already a member, already invited, over the user limit), people
 * in trusted domains are suggested, and nothing typed is lost when the server refuses.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect, useId, useMemo, useState, type KeyboardEvent } from 'react'
import type { CreateInvitationsResponse, Invitation, OrgDetail } from '../../../../shared/api'
import { invitableRoles, ROLE_LABELS, type Role } from '../../../../shared/roles'
import { seatsOf, seatsText } from '../../../../shared/seats'
import { useMembers } from '../../hooks/queries'
import { call, orgAdmin, qk } from '../../lib/bridge'
import { checkAddresses, currentFragment, parseAddresses, STATUS_TEXT, type CheckedAddress } from '../../lib/emails'
import type { OrgRef } from '../../stores/ui'
import { OFFLINE_REASON } from '../OfflineBanner'
import { ErrorMessage, RoleOptions } from '../ui'

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value)
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms)
    return () => clearTimeout(t)
  }, [value, ms])
  return v
}

/** What an invitation link panel shows; the page keeps one at a time. */
export interface ShownLink {
  email: string
  url: string
  /** The link came from Resend, so the one sent before no longer works. */
  replaced?: boolean
}

export function InviteForm({
  orgRef,
  org,
  invitations,
  offline,
  onLink,
}: {
  orgRef: OrgRef
  org: OrgDetail
  invitations: Invitation[]
  offline: boolean
  onLink: (link: ShownLink) => void
}) {
  const client = useQueryClient()
  const textId = useId()
  const listId = useId()
  const noteId = useId()
  const [text, setText] = useState('')
  // Set while keys are being typed; a paste, a separator or leaving the field settles the text.
  const [typing, setTyping] = useState(false)
  const roles = invitableRoles(org.myRole)
  const [role, setRole] = useState<Role>('member')
  const [result, setResult] = useState<CreateInvitationsResponse | null>(null)
  const addresses = useMemo(() => parseAddresses(text), [text])
  // Ask main which of the typed addresses belong to members (never the whole list).
  const emails = addresses.map((a) => a.address).filter((a) => a.length <= 254).slice(0, 100)
  const members = useMembers(orgRef, { emails, limit: emails.length }).data?.data.members
  const memberEmails = useMemo(() => new Set(members?.map((m) => m.email.toLowerCase())), [members])
  const pendingEmails = useMemo(
    () => new Set(invitations.filter((i) => i.status === 'pending').map((i) => i.email.toLowerCase())),
    [invitations],
  )
  const seats = seatsOf(org)
  const all = useMemo(
    () => checkAddresses(addresses, { members: memberEmails, pending: pendingEmails, seatsLeft: seats.free }),
    [addresses, memberEmails, pendingEmails, seats.free],
  )
  // A half-typed address is not an error yet: it is judged on comma, Enter or leaving the field.
  const unfinished = typing && !/[\s,;]$/.test(text) && all[all.length - 1]?.status === 'invalid'
  const checked = unfinished ? all.slice(0, -1) : all
  const sendable = checked.filter((c) => c.status === 'ok')
  const held = checked.filter((c) => c.status !== 'ok')

  const fragment = useDebounced(currentFragment(text), 200)
  const suggestions = useQuery({
    queryKey: ['discover', orgRef.accountId, orgRef.orgId, fragment],
    queryFn: () => call(orgAdmin().users.discover({ ...orgRef, q: fragment })),
    enabled: fragment.length >= 2 && !offline,
    staleTime: 30_000,
  })
  const suggested = (suggestions.data?.items ?? []).filter((u) => !checked.some((c) => c.email === u.email))
  const [active, setActive] = useState(-1)
  const activeIndex = active < suggested.length ? active : -1

  const invite = useMutation({
    mutationFn: () => call(orgAdmin().invitations.create({ ...orgRef, emails: sendable.map((c) => c.email), role })),
    onSuccess: (res) => {
      setResult(res)
      // Keep what was not sent or not accepted, so it can be corrected and sent again.
      const rejected = new Set(res.rejected.map((r) => r.email.toLowerCase()))
      const keep = checked.filter((c) => (c.status !== 'ok' && c.status !== 'duplicate') || rejected.has(c.email)).map((c) => c.raw)
      setText(keep.join('\n'))
      for (const key of [qk.invitations, qk.org, qk.members]) void client.invalidateQueries({ queryKey: key(orgRef.accountId, orgRef.orgId) })
      void client.invalidateQueries({ queryKey: qk.orgs(orgRef.accountId) })
    },
  })

  const pick = (email: string) => {
    const before = text.slice(0, text.length - currentFragment(text).length)
    setText(`${before}${email}, `)
    setActive(-1)
  }
  // Suggestions follow the listbox pattern: focus stays in the text, arrows move the active option.
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (suggested.length === 0) return
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault()
      const step = e.key === 'ArrowDown' ? 1 : -1
      const n = suggested.length
      const from = activeIndex >= 0 ? activeIndex : step > 0 ? -1 : n
      setActive((from + step + n) % n)
    } else if (e.key === 'Enter' && activeIndex >= 0) {
      e.preventDefault()
      pick(suggested[activeIndex]!.email)
    } else if (e.key === 'Escape') setActive(-1)
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
        placeholder="ana@example.com, Ben Jones <ben@example.com> — or paste a list or a CSV with an email column"
        aria-controls={suggested.length ? listId : undefined}
        aria-autocomplete="list"
        aria-activedescendant={activeIndex >= 0 ? `${listId}-${activeIndex}` : undefined}
        onChange={(e) => {
          setText(e.target.value)
          setTyping((e.nativeEvent as InputEvent).inputType !== 'insertFromPaste')
          setActive(-1)
        }}
        onBlur={() => setTyping(false)}
        onKeyDown={onKeyDown}
      />
      {suggested.length > 0 && (
        <ul id={listId} role="listbox" aria-label="Suggestions" className="suggestions">
          {suggested.map((u, i) => (
            <li key={u.email} id={`${listId}-${i}`} role="option" aria-selected={i === activeIndex} onMouseDown={(e) => e.preventDefault()} onClick={() => pick(u.email)}>
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
            <RoleOptions roles={roles} />
          </select>
        </label>
        <span className="muted seats">
          {seatsText(org)} · {seats.free} free
        </span>
        <span className="spacer" />
        <button
          type="submit"
          className="btn btn-primary"
          disabled={offline || sendable.length === 0 || invite.isPending}
          title={offline ? OFFLINE_REASON : undefined}
          aria-describedby={held.length ? noteId : undefined}
        >
          {invite.isPending ? 'Sending…' : sendable.length > 1 ? `Send ${sendable.length} invitations` : 'Send invitation'}
        </button>
      </div>
      {held.length > 0 && (
        <p id={noteId} className="muted reason">
          {sendable.length === 0
            ? 'Nothing to send: fix or remove the addresses marked above.'
            : `Only the ${sendable.length === 1 ? 'address' : `${sendable.length} addresses`} marked “Ready to invite” ${sendable.length === 1 ? 'is' : 'are'} sent; the ${held.length} marked otherwise stay${held.length === 1 ? 's' : ''} here.`}
        </p>
      )}
      {roles.length === 1 && (
        <p className="muted reason">As {ROLE_LABELS[org.myRole]} you can invite people as Member only.</p>
      )}
      <ErrorMessage error={invite.error} />
      {result && <InviteOutcome result={result} onLink={onLink} />}
    </form>
  )
}

function AddressList({ checked }: { checked: CheckedAddress[] }) {
  return (
    <ul className="address-list" aria-label="Addresses to invite">
      {checked.map((c, i) => (
        <li key={`${c.raw}-${i}`} className={`address address-${c.status}`}>
          <span className="truncate">
            {c.name ? (
              <>
                {c.name} <span className="muted">{c.email}</span>
              </>
            ) : (
              c.email
            )}
          </span>
          <span className={`badge ${c.status === 'ok' ? 'badge-success' : c.status === 'invalid' || c.status === 'over_cap' ? 'badge-danger' : 'badge-warning'}`}>
            {STATUS_TEXT[c.status]}
          </span>
        </li>
      ))}
    </ul>
  )
}

function InviteOutcome({ result, onLink }: { result: CreateInvitationsResponse; onLink: (link: ShownLink) => void }) {
  return (
    <div className="stack outcome" aria-label="Invitation results">
      {result.invited.length > 0 && (
        <div role="status">
          <strong>Invited {result.invited.length}</strong>
          <ul className="compact-list">
            {result.invited.map(({ invitation, link }) => (
              <li key={invitation.id}>
                {invitation.email}{' '}
                <button type="button" className="btn btn-sm" aria-label={`Copy link for ${invitation.email}`} onClick={() => onLink({ email: invitation.email, url: link.url })}>
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
    </div>
  )
}
