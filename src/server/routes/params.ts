/** Pieces every routes/<resource>.ts shares. */
import { z } from 'zod'

/** Fastify pattern from a shared route builder: routes.member(':orgId', ':userId') → /v1/orgs/:orgId/members/:userId */
export const path = (built: string) => decodeURIComponent(built)
export const id = z.string().min(1).max(64)
export const org = z.object({ orgId: id })
export const okSchema = z.object({ ok: z.literal(true) })
export const ok = { ok: true as const }
