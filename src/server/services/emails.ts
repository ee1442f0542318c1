/** The messages the server sends: each has a text part and an HTML part carrying the same link. */
import { ROLE_LABELS, type Role } from '../../shared/roles'
import type { MailMessage } from './mailer'

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

function compose(to: string, subject: string, lines: string[], action: { label: string; url: string } | null): MailMessage {
  const text = [...lines, ...(action ? ['', `${action.label}: ${action.url}`] : [])].join('\n')
  const html = [
    '<!doctype html><html><body style="font-family:sans-serif;line-height:1.5">',
    ...lines.map((l) => `<p>${esc(l)}</p>`),
    action ? `<p><a href="${esc(action.url)}">${esc(action.label)}</a></p><p style="color:#666">${esc(action.url)}</p>` : '',
    '</body></html>',
  ].join('\n')
  return { to, subject, text, html }
}

export interface InvitationMail {
  to: string
  orgName: string
  role: Role
  inviterName: string | null
  url: string
  expiresAt: Date
}

const who = (m: InvitationMail) => m.inviterName ?? `${m.orgName}'s trusted-domain settings`
const inboxHint = 'You can also accept or decline it in the Org Admin app under Inbox once you are signed in.'

export const invitationEmail = (m: InvitationMail, resent = false) =>
  compose(
    m.to,
    `${resent ? 'Reminder: ' : ''}You are invited to join ${m.orgName}`,
    [
      `${who(m)} invited you to join ${m.orgName} as ${ROLE_LABELS[m.role]}.`,
      `The invitation expires on ${m.expiresAt.toUTCString()}. Nobody joins an organization without accepting.`,
      inboxHint,
    ],
    { label: 'Accept the invitation', url: m.url },
  )

export const reminderEmail = (m: InvitationMail) =>
  compose(
    m.to,
    `Your invitation to ${m.orgName} expires in 24 hours`,
    [`Your invitation to join ${m.orgName} as ${ROLE_LABELS[m.role]} expires on ${m.expiresAt.toUTCString()}.`, 'This link replaces the one sent before.', inboxHint],
    { label: 'Accept the invitation', url: m.url },
  )

export const verificationEmail = (to: string, code: string, url: string) =>
  compose(
    to,
    `Your Org Admin verification code: ${code}`,
    [`Enter ${code} in Org Admin to verify ${to}, or open the link below.`, 'The code and the link expire in one hour. If you did not sign up, ignore this email.'],
    { label: 'Verify my address', url },
  )
