/**
 * `npm run server` — serve (seeding the demo on first start); `npm run seed` — seed only;
 * `tsx src/server/cli.ts bulk --org "Name" --members N` — a large organization for benchmarks;
 * `tsx src/server/cli.ts approve-domain --org "Name" --domain example.org` — an operator vouches for a domain.
 */
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { eq } from 'drizzle-orm'
import { domainSchema } from '../shared/api'
import { orgs, users } from './db/schema'
import { approveDomainAsOperator } from './services/domains'
import { bulkMembers, createOrg, DEMO_ADMIN, DEMO_PASSWORD, startServer } from './index'

const env = process.env
const command = process.argv[2] ?? 'serve'
const { values } = parseArgs({
  args: process.argv.slice(3),
  options: { org: { type: 'string' }, members: { type: 'string' }, domain: { type: 'string' } },
})
const storage = env.DATABASE_URL
  ? { databaseUrl: env.DATABASE_URL }
  : { dataDir: resolve(env.DATA_DIR ?? '.data/server') }
const where = storage.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `SQLite in ${storage.dataDir}`
// Without SMTP_URL, email is written as .eml files to MAIL_DIR, so the demo needs no mail server.
const mail = { smtpUrl: env.SMTP_URL, dir: resolve(env.MAIL_DIR ?? '.data/mail'), from: env.MAIL_FROM }

async function main() {
  if (command === 'serve') {
    const server = await startServer({
      ...storage,
      seed: true,
      host: env.HOST ?? '127.0.0.1',
      port: Number(env.PORT ?? 4010),
      publicUrl: env.PUBLIC_URL,
      logger: env.LOG === '1',
      mail,
      dnsServer: env.DNS_SERVER,
    })
    console.log(`Org server listening on ${server.url} (${where})`)
    console.log(mail.smtpUrl ? 'Email: SMTP (SMTP_URL)' : `Email: .eml files in ${mail.dir}`)
    console.log(`Demo sign-in: ${DEMO_ADMIN.email} / ${DEMO_PASSWORD}`)
    const stop = async () => {
      await server.close() // lets in-flight transactions finish and checkpoints SQLite's log
      process.exit(0)
    }
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
    return
  }
  const server = await startServer({ ...storage, seed: true, port: 0 })
  try {
    if (command === 'seed') {
      console.log(`Demo data ready in ${where}`)
    } else if (command === 'bulk') {
      const name = values.org ?? 'Bulk Org'
      const count = Number(values.members ?? 100_000)
      if (!Number.isInteger(count) || count < 1) throw new Error('--members must be a positive whole number')
      const [admin] = await server.db.select().from(users).where(eq(users.email, DEMO_ADMIN.email))
      const [existing] = await server.db.select().from(orgs).where(eq(orgs.name, name))
      const org = existing ?? (await createOrg(server, { name, ownerUserId: admin!.id }))
      await bulkMembers(server, { orgId: org.id, count, onProgress: (n) => process.stdout.write(`\r${n} / ${count}`) })
      console.log(`\n${name} now has ${count} more members (${where})`)
    } else if (command === 'approve-domain') {
      const domain = domainSchema.parse(values.domain ?? '')
      const [org] = await server.db.select().from(orgs).where(eq(orgs.name, values.org ?? ''))
      if (!org) throw new Error(`No organization named "${values.org ?? ''}"`)
      await approveDomainAsOperator(server.ctx, org.id, domain)
      console.log(`${domain} is verified for ${org.name} (approved by the operator)`)
    } else {
      throw new Error(`Unknown command "${command}". Use serve, seed, bulk or approve-domain.`)
    }
  } finally {
    await server.close()
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err)
  process.exit(1)
})
