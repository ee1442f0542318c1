/**
 * The side panel of one member, opened from the members table: role, joined, last active here,
 * workspaces with roles, their recent activity (Owners), and the actions the viewer's role allows.
 */
import { useEffect, useId, useRef, useState } from 'react'
import type { OrgSummary } from '../../../shared/api'
import { can, canInWorkspace, WORKSPACE_ROLE_LABELS } from '../../../shared/roles'
import { useWorkspaces } from '../hooks/queries'
import { useMemberDetail, usePersonActivity } from '../hooks/workspaces'
import { describeEvent } from '../pages/ActivityPage'
import { useUi, type OrgRef } from '../stores/ui'
import { OFFLINE_REASON } from './OfflineBanner'
import { RemoveMemberDialog } from './RemoveMemberDialog'
import { RoleEditorDialog } from './RoleEditorDialog'
import { ErrorMessage, formatDate, formatRelative, ReasonButton, RoleBadge, Skeleton, useNow } from './ui'
import { WorkspaceMemberDialog } from './WorkspaceMemberDialog'

export function MemberDetailPanel({ orgRef, org, userId, me }: { orgRef: OrgRef; org: OrgSummary; userId: string; me: string | undefined }) {
  const close = () => useUi.getState().openMemberPanel(null)
  const titleId = useId()
  const ref = useRef<HTMLDivElement>(null)
  const detail = useMemberDetail(orgRef, userId)
  const spaces = useWorkspaces(orgRef).data?.data.items ?? []
  const canSeeActivity = can(org.myRole, 'activity.view')
  const activity = usePersonActivity(orgRef, userId, canSeeActivity)
  const [dialog, setDialog] = useState<'role' | 'remove' | 'workspace' | null>(null)
  const now = useNow()
  // Focus moves into the panel, and back to what opened it (the row's Details button) when it closes.
  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null
    ref.current?.focus()
    return () => {
      if (opener?.isConnected) opener.focus()
    }
  }, [])

  const d = detail.data?.data
  const offline = !!detail.data?.offline
  const member = d?.member
  const addable = spaces.filter((w) => canInWorkspace(org.myRole, w.myRole, 'workspace.members.manage') && !d?.workspaces.some((x) => x.id === w.id))
  const why = (ok: boolean, reason: string) => (offline ? OFFLINE_REASON : ok ? null : reason)
  const roleReason = why(can(org.myRole, 'members.editRole'), 'Only an Owner can change roles')
  const removeReason = why(can(org.myRole, 'members.remove'), 'Only an Owner can remove members')
  const addReason = why(addable.length > 0, spaces.length ? 'No workspace you manage is missing them' : 'There are no workspaces yet')

  return (
    <div
      ref={ref}
      role="dialog"
      aria-modal="false"
      aria-labelledby={titleId}
      tabIndex={-1}
      className="member-panel stack"
      onKeyDown={(e) => e.key === 'Escape' && !dialog && close()}
    >
      <div className="row">
        <h2 id={titleId} className="truncate" style={{ margin: 0 }}>
          {member?.displayName ?? 'Member'}
        </h2>
        <span className="spacer" />
        <button className="btn btn-sm" aria-label="Close member details" onClick={close}>
          Close
        </button>
      </div>
      <ErrorMessage error={detail.error} />
      {detail.isLoading && <Skeleton rows={4} label="Loading member" />}
      {member && d && (
        <>
          <div className="muted truncate">{member.email}</div>
          {offline && <p className="alert alert-info">{OFFLINE_REASON}: shown from the last sync; last activity is unknown.</p>}
          <dl className="facts">
            <dt>Role</dt>
            <dd>
              <RoleBadge role={member.role} />
            </dd>
            <dt>Joined</dt>
            <dd>{formatDate(member.joinedAt)}</dd>
            <dt>Last active here</dt>
            <dd>{member.lastActiveAt ? <time dateTime={member.lastActiveAt}>{formatRelative(member.lastActiveAt, now)}</time> : offline ? 'Unknown' : 'Not yet'}</dd>
          </dl>
          <div className="row row-actions">
            <ReasonButton label="Change role" reason={roleReason} onClick={() => setDialog('role')} />
            <ReasonButton label="Add to a workspace" reason={addReason} onClick={() => setDialog('workspace')} />
            <ReasonButton label="Remove" reason={removeReason} danger onClick={() => setDialog('remove')} />
          </div>
          <section aria-labelledby={`${titleId}-ws`} className="stack">
            <h3 id={`${titleId}-ws`}>Workspaces</h3>
            {d.workspaces.length === 0 ? (
              <p className="muted">{member.workspaceCount > 0 ? 'None that your role shows you.' : 'Not in any workspace.'}</p>
            ) : (
              <ul className="compact-list">
                {d.workspaces.map((w) => (
                  <li key={w.id} className="row">
                    <span className="truncate">{w.name}</span>
                    <span className="spacer" />
                    <span className={`badge${w.role === 'admin' ? ' badge-owner' : ''}`}>{WORKSPACE_ROLE_LABELS[w.role]}</span>
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section aria-labelledby={`${titleId}-act`} className="stack">
            <h3 id={`${titleId}-act`}>Recent activity</h3>
            {!canSeeActivity ? (
              <p className="muted">Only Owners can see the activity log.</p>
            ) : (
              <>
                <ErrorMessage error={activity.error} />
                {activity.data && activity.data.data.items.length === 0 && <p className="muted">Nothing recorded yet.</p>}
                <ol className="activity-list" aria-label={`Recent activity of ${member.displayName}`}>
                  {activity.data?.data.items.map((e) => (
                    <li key={e.id}>
                      <time dateTime={e.at}>{formatDate(e.at)}</time>
                      <span>{describeEvent(e)}</span>
                    </li>
                  ))}
                </ol>
              </>
            )}
          </section>
          {dialog === 'role' && <RoleEditorDialog orgRef={orgRef} org={org} members={[member]} me={me} onClose={() => setDialog(null)} />}
          {dialog === 'remove' && (
            <RemoveMemberDialog orgRef={orgRef} org={org} members={[member]} me={me} onClose={(removed) => (removed ? close() : setDialog(null))} />
          )}
          {dialog === 'workspace' && (
            <WorkspaceMemberDialog
              orgRef={orgRef}
              workspace={null}
              choices={addable}
              person={{ id: member.userId, displayName: member.displayName, email: member.email }}
              onClose={() => setDialog(null)}
            />
          )}
        </>
      )}
    </div>
  )
}
