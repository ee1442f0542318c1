/**
 * The signed-in person's inbox on one account: invitations and suggestions addressed to
 * them, answered without a link. Never cached: it is short and must be current.
 */
import { z } from 'zod'
import { inboxSchema, routes } from '../../shared/api'
import type { AccountService } from './accounts'
import type { SyncService } from './sync'

const okSchema = z.object({ ok: z.literal(true) })

export class InboxActions {
  constructor(private readonly deps: { accounts: AccountService; sync: SyncService }) {}

  list(accountId: string) {
    return this.deps.accounts.client(accountId).get(routes.inbox(), inboxSchema)
  }

  async accept(accountId: string, invitationId: string) {
    const result = await this.deps.accounts.client(accountId).post(routes.acceptMine(invitationId), z.object({ orgId: z.string() }))
    // A new organization appears in this account's list.
    this.deps.sync.refreshAfterMutation(accountId, null, ['orgs'])
    return result
  }

  decline(accountId: string, invitationId: string) {
    return this.deps.accounts.client(accountId).post(routes.declineMine(invitationId), okSchema)
  }

  requestToJoin(accountId: string, orgId: string) {
    return this.deps.accounts.client(accountId).post(routes.requestToJoin(orgId), okSchema)
  }
}
