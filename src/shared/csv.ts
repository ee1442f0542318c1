/** The members export: RFC 4180 CSV that a spreadsheet opens as text, never as formulas. */
import type { Member } from './api'
import { ROLE_LABELS } from './roles'

/**
 * Quotes every cell and defuses user-controlled text that a spreadsheet would run: a leading
 * =, +, -, @, tab or carriage return makes a formula (OWASP "CSV injection"), so it gets a '.
 */
export function csvCell(value: string | number): string {
  const s = String(value)
  return `"${(/^[=+\-@\t\r]/.test(s) ? `'${s}` : s).replace(/"/g, '""')}"`
}

export function membersCsv(members: Member[]): string {
  const lines = [['Name', 'Email', 'Role', 'Joined', 'Workspaces'].map(csvCell).join(',')]
  for (const m of members) lines.push([m.displayName, m.email, ROLE_LABELS[m.role], m.joinedAt, m.workspaceCount].map(csvCell).join(','))
  return lines.join('\r\n') + '\r\n'
}
