/**
 * Turns what an administrator pastes — a list separated by commas, semicolons, spaces or
 * lines, "Name <email>" entries, or a CSV export with an email column — into addresses,
 * and classifies each one before anything is sent.
 */
import { emailSchema } from '../../../shared/api'

export type AddressStatus = 'ok' | 'invalid' | 'duplicate' | 'member' | 'invited' | 'over_cap'

export interface CheckedAddress {
  raw: string
  email: string
  status: AddressStatus
}

export const STATUS_TEXT: Record<AddressStatus, string> = {
  ok: 'Ready to invite',
  invalid: 'Not a valid email address',
  duplicate: 'Listed more than once',
  member: 'Already a member',
  invited: 'Already invited',
  over_cap: 'Over the user limit',
}

function fromCsv(text: string): string[] | null {
  const lines = text.split(/\r?\n/).filter((l) => l.trim())
  const header = lines[0]?.split(',').map((h) => h.trim().replace(/^"|"$/g, '').toLowerCase())
  const col = header?.findIndex((h) => h === 'email' || h === 'e-mail' || h === 'email address') ?? -1
  if (col < 0) return null
  return lines.slice(1).map((l) => (l.split(',')[col] ?? '').trim().replace(/^"|"$/g, '')).filter(Boolean)
}

export function parseAddresses(text: string): string[] {
  const csv = fromCsv(text)
  if (csv) return csv
  return text
    .split(/[\s,;]+/)
    .map((t) => t.trim().replace(/^<|>$/g, ''))
    .filter((t) => t.length > 0 && !/^".*"$/.test(t))
}

export function checkAddresses(
  raws: string[],
  ctx: { members: ReadonlySet<string>; pending: ReadonlySet<string>; seatsLeft: number },
): CheckedAddress[] {
  const seen = new Set<string>()
  let seats = ctx.seatsLeft
  return raws.map((raw) => {
    const parsed = emailSchema.safeParse(raw)
    if (!parsed.success) return { raw, email: raw, status: 'invalid' }
    const email = parsed.data
    if (seen.has(email)) return { raw, email, status: 'duplicate' }
    seen.add(email)
    if (ctx.members.has(email)) return { raw, email, status: 'member' }
    if (ctx.pending.has(email)) return { raw, email, status: 'invited' }
    if (seats <= 0) return { raw, email, status: 'over_cap' }
    seats--
    return { raw, email, status: 'ok' }
  })
}

/** The fragment being typed (after the last separator), for suggestions. */
export function currentFragment(text: string): string {
  const m = /[^\s,;]*$/.exec(text)
  return m ? m[0] : ''
}
