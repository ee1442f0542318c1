/** The members CSV export: every cell quoted, formulas defused, quotes doubled. */
import { describe, expect, it } from 'vitest'
import { csvCell, membersCsv } from '../../src/shared/csv'

describe('members CSV', () => {
  it('defuses every formula trigger a spreadsheet would run', () => {
    for (const evil of ['=HYPERLINK("http://x.test","click")', '+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1']) {
      expect(csvCell(evil)).toBe(`"'${evil.replace(/"/g, '""')}"`)
    }
  })

  it('leaves ordinary text alone but quoted, with quotes doubled', () => {
    expect(csvCell('Dana "D" Admin')).toBe('"Dana ""D"" Admin"')
    expect(csvCell('a=b')).toBe('"a=b"')
    expect(csvCell(3)).toBe('"3"')
  })

  it('exports one row per member under a header, CRLF-terminated', () => {
    const csv = membersCsv([
      { userId: 'u1', email: 'e@x.test', displayName: '=cmd|calc', role: 'billing_admin', joinedAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z', workspaceCount: 2 },
    ])
    expect(csv).toBe(
      '"Name","Email","Role","Joined","Workspaces"\r\n' + `"'=cmd|calc","e@x.test","Billing Admin","2026-01-01T00:00:00.000Z","2"\r\n`,
    )
  })
})
