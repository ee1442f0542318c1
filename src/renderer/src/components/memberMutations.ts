/**
 * Role changes and removals, with the edits the server accepted kept as an overlay on the
 * member list until a fetched list shows them. Main refreshes its cache after each change,
 * but a refresh already under way (started before the next change of a batch) can land
 * later with older data; the overlay keeps the table from showing a removed member again.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useEffect, useMemo } from 'react'
import { create } from 'zustand'
import type { Member } from '../../../shared/api'
import type { Role } from '../../../shared/roles'
import { call, orgAdmin, qk } from '../lib/bridge'
import type { OrgRef } from '../stores/ui'

interface PendingEdits {
  removed: Readonly<Record<string, true>>
  roles: Readonly<Record<string, Role>>
}
const NONE: PendingEdits = { removed: {}, roles: {} }
const usePending = create<Record<string, PendingEdits>>(() => ({}))
const orgKey = (ref: OrgRef) => `${ref.accountId}/${ref.orgId}`

function record(ref: OrgRef, edit: (p: PendingEdits) => PendingEdits) {
  const key = orgKey(ref)
  usePending.setState((s) => ({ [key]: edit(s[key] ?? NONE) }))
}

/** The fetched members with accepted edits applied; edits the fetched list confirms are dropped. */
export function useMembersWithPendingEdits(ref: OrgRef, members: Member[] | undefined): Member[] | undefined {
  const key = orgKey(ref)
  const pending = usePending((s) => s[key])
  const shown = useMemo(() => {
    if (!members || !pending) return members
    return members
      .filter((m) => !pending.removed[m.userId])
      .map((m) => {
        const role = pending.roles[m.userId]
        return role && role !== m.role ? { ...m, role } : m
      })
  }, [members, pending])
  useEffect(() => {
    if (!members || !pending) return
    const byId = new Map(members.map((m) => [m.userId, m]))
    const removed = Object.fromEntries(Object.keys(pending.removed).filter((id) => byId.has(id)).map((id) => [id, true as const]))
    const roles = Object.fromEntries(Object.entries(pending.roles).filter(([id, role]) => byId.has(id) && byId.get(id)!.role !== role))
    const left = Object.keys(removed).length + Object.keys(roles).length
    if (left === Object.keys(pending.removed).length + Object.keys(pending.roles).length) return
    usePending.setState((s) => {
      const next = { ...s }
      if (left === 0) delete next[key]
      else next[key] = { removed, roles }
      return next
    }, true)
  }, [members, pending, key])
  return shown
}

function useInvalidateOrg(ref: OrgRef) {
  const client = useQueryClient()
  return () => {
    void client.invalidateQueries({ queryKey: qk.members(ref.accountId, ref.orgId) })
    void client.invalidateQueries({ queryKey: qk.orgs(ref.accountId) })
    void client.invalidateQueries({ queryKey: qk.org(ref.accountId, ref.orgId) })
  }
}

/** Applies one role to each member in turn; stops at the first refusal (its message is shown). */
export function useChangeRoles(ref: OrgRef) {
  const invalidate = useInvalidateOrg(ref)
  return useMutation({
    mutationFn: async ({ members, role }: { members: Member[]; role: Role }) => {
      for (const m of members) {
        if (m.role === role) continue
        const updated = await call(orgAdmin().members.changeRole({ ...ref, userId: m.userId, role }))
        record(ref, (p) => ({ ...p, roles: { ...p.roles, [updated.userId]: updated.role } }))
      }
    },
    onSettled: invalidate,
  })
}

export function useRemoveMembers(ref: OrgRef) {
  const invalidate = useInvalidateOrg(ref)
  return useMutation({
    mutationFn: async (members: Member[]) => {
      for (const m of members) {
        await call(orgAdmin().members.remove({ ...ref, userId: m.userId }))
        record(ref, (p) => ({ ...p, removed: { ...p.removed, [m.userId]: true } }))
      }
    },
    onSettled: invalidate,
  })
}
