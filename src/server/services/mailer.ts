/**
 * The Mailer seam on Ctx: nodemailer over SMTP (`SMTP_URL`), or nodemailer's stream
 * transport writing one .eml file per message into a folder, so the demo needs no mail server.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import nodemailer from 'nodemailer'
import type SMTPTransport from 'nodemailer/lib/smtp-transport'

export interface MailMessage {
  to: string
  subject: string
  text: string
  html: string
}

export interface Mailer {
  send(message: MailMessage): Promise<void>
}

export function smtpMailer(url: string, from: string): Mailer {
  // Short timeouts: a mail server that is down must fail the attempt, not hold the sender.
  const options: SMTPTransport.Options = { url, connectionTimeout: 5_000, greetingTimeout: 5_000, socketTimeout: 10_000 }
  const transport = nodemailer.createTransport(options)
  return { send: async (m) => void (await transport.sendMail({ from, ...m })) }
}

export function folderMailer(dir: string, from: string): Mailer {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' })
  return {
    async send(m) {
      const info = await transport.sendMail({ from, ...m })
      await mkdir(dir, { recursive: true })
      const stamp = new Date().toISOString().replace(/[:.]/g, '-')
      await writeFile(join(dir, `${stamp}-${m.to.replace(/[^a-z0-9@.-]/gi, '_')}.eml`), info.message as Buffer)
    },
  }
}
