/**
 * Turns what an administrator pastes — a list separated by commas, semicolons, spaces or
 * lines, "Name <email>" entries, or a CSV export with an email column — into addresses,
 * and classifies each one before anything is sent.
 */
import { parseOneAddress } from 'email-addresses'
import { emailSchema } from '../../../shared/api'

export type AddressStatus = 'ok' | 'invalid' | 'duplicate' | 'member' | 'invited' | 'over_cap'

export interface CheckedAddress {
  raw: string
  email: string
  name: string | null
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

/** Entries split at commas, semicolons and line breaks that are outside quotes and angle brackets. */
function entries(text: string): string[] {
  const out: string[] = []
  let current = ''
  let quoted = false
  let angled = false
  for (const ch of text) {
    if (ch === '"') quoted = !quoted
    else if (!quoted && ch === '<') angled = true
    else if (!quoted && ch === '>') angled = false
    if (!quoted && !angled && /[,;\r\n]/.test(ch)) {
      out.push(current)
      current = ''
    } else current += ch
  }
  out.push(current)
  return out.map((e) => e.trim()).filter(Boolean)
}

/**
 * One entry as RFC 5322 sees it ("Ana Smith <ana@x.test>", "ana@x.test"); an entry that is
 * no address but holds several words is a space-separated list, kept word by word so each
 * invalid word is shown as such.
 */
function addressesOf(entry: string): ParsedAddress[] {
  const parsed = parseOneAddress(entry)
  if (parsed?.type === 'mailbox') return [{ raw: entry, address: parsed.address, name: parsed.name }]
  if (/[<"]/.test(entry) || !/\s/.test(entry)) return [{ raw: entry, address: entry, name: null }]
  return entry.split(/\s+/).flatMap(addressesOf)
}

export interface ParsedAddress {
  /** The text as typed, to give back when it cannot be sent. */
  raw: string
  address: string
  name: string | null
}

export function parseAddresses(text: string): ParsedAddress[] {
  const csv = fromCsv(text)
  if (csv) return csv.map((address) => ({ raw: address, address, name: null }))
  return entries(text).flatMap(addressesOf)
}

export function checkAddresses(
  addresses: ParsedAddress[],
  ctx: { members: ReadonlySet<string>; pending: ReadonlySet<string>; seatsLeft: number },
): CheckedAddress[] {
  const seen = new Set<string>()
  let seats = ctx.seatsLeft
  return addresses.map(({ raw, address, name }) => {
    const parsed = emailSchema.safeParse(address)
    if (!parsed.success) return { raw, email: address, name, status: 'invalid' }
    const email = parsed.data
    const checked = (status: AddressStatus): CheckedAddress => ({ raw, email, name, status })
    if (seen.has(email)) return checked('duplicate')
    seen.add(email)
    if (ctx.members.has(email)) return checked('member')
    if (ctx.pending.has(email)) return checked('invited')
    if (seats <= 0) return checked('over_cap')
    seats--
    return checked('ok')
  })
}

/** The fragment being typed (after the last separator), for suggestions. */
export function currentFragment(text: string): string {
  const m = /[^\s,;]*$/.exec(text)
  return m ? m[0] : ''
}
