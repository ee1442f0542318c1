/**
 * The tables services use, bound to the store this process opened.
 *
 * Convention (two SQL dialects, one set of services):
 * - Tables are defined twice, `schema.pg.ts` (PostgreSQL) and `schema.sqlite.ts` (embedded
 *   SQLite), with the same names and `$inferSelect` shapes (pinned below). Add a column or a
 *   table to both, and append a migration to both lists (`migrations.ts`, `migrations.sqlite.ts`).
 * - Services keep `import { memberships } from '../db/schema'`. The exports are live bindings
 *   set by `openDatabase` (one store per process), so reach a table or column inside a function,
 *   never in a module-level constant: before a store is open they throw on first use.
 * - They are typed as the PostgreSQL tables, and `Db` as a Postgres database; the query builder
 *   is the same on both. SQL that differs between dialects lives only in `sql.ts`, including
 *   PostgreSQL-only clauses such as `.for('update')` (a helper there that does nothing on
 *   SQLite, whose write transactions already run one at a time).
 * - Transactions only through `withTx` (`tx.ts`); inside one, use the handle it passes you.
 */
import * as pg from './schema.pg'
import * as sqlite from './schema.sqlite'

export type Tables = typeof pg
export type StoreKind = 'sqlite' | 'postgres'

const unbound = new Proxy({} as never, {
  get() {
    throw new Error('No database is open yet: reach tables inside functions, not at module load (see db/schema.ts)')
  },
})

export let users: Tables['users'] = unbound
export let orgs: Tables['orgs'] = unbound
export let memberships: Tables['memberships'] = unbound
export let workspaces: Tables['workspaces'] = unbound
export let workspaceMembers: Tables['workspaceMembers'] = unbound
export let invitations: Tables['invitations'] = unbound
export let trustedDomains: Tables['trustedDomains'] = unbound
export let activity: Tables['activity'] = unbound
export let apiKeys: Tables['apiKeys'] = unbound
export let tokenFamilies: Tables['tokenFamilies'] = unbound
export let refreshTokens: Tables['refreshTokens'] = unbound
export let accessTokens: Tables['accessTokens'] = unbound
export let invoices: Tables['invoices'] = unbound
export let usage: Tables['usage'] = unbound
export let outbox: Tables['outbox'] = unbound
export let emailVerifications: Tables['emailVerifications'] = unbound
export let joinRequests: Tables['joinRequests'] = unbound
export let rateLimits: Tables['rateLimits'] = unbound
export let serverSecrets: Tables['serverSecrets'] = unbound

let bound: StoreKind | null = null

/** Called by `openDatabase`; a process serves one store, so a second kind is a mistake. */
export function bindTables(kind: StoreKind): void {
  if (bound === kind) return
  if (bound) throw new Error(`This process already uses the ${bound} store; it cannot also open ${kind}`)
  // Same shapes (pinned below); the query builder takes either dialect's tables.
  const t = (kind === 'postgres' ? pg : sqlite) as unknown as Tables
  ;({
    users, orgs, memberships, workspaces, workspaceMembers, invitations, trustedDomains, activity, tokenFamilies, refreshTokens,
    accessTokens, invoices, usage, outbox, emailVerifications, joinRequests, rateLimits, serverSecrets,
    apiKeys,
  } = t)
  bound = kind
}

export const boundStore = (): StoreKind | null => bound

type Rows<S> = { [K in keyof S]: S[K] extends { $inferSelect: infer R } ? R : never }
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
type AllSame<A, B> = { [K in keyof A & keyof B]: Same<A[K], B[K]> }[keyof A & keyof B]
type Expect<T extends true> = T
/** Compile-time pins: the same tables on both stores, each with the same row shape. */
export type ShapesPinned = [Expect<Same<keyof typeof pg, keyof typeof sqlite>>, Expect<AllSame<Rows<typeof pg>, Rows<typeof sqlite>>>]
