/**
 * Encrypted, atomic storage: nothing readable on disk, damaged files read as absent, and a
 * writer killed mid-write leaves the previous value intact.
 */
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { loadSecretKey, nodeSecretBox, parseSecretKey, type SecretBox } from '../../src/main/services/secret-box'
import { EncryptedStore } from '../../src/main/services/store'

const quiet = { warn: () => {} }
let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'org-admin-store-'))
})
afterEach(() => rm(dir, { recursive: true, force: true }))

const valueSchema = z.object({ n: z.number(), payload: z.string(), check: z.number() })

describe('EncryptedStore', () => {
  it("orders a folder's removal and the writes around it, so none renames into a folder being deleted", async () => {
    // The box runs inside each write (after mkdir, before the rename): the log shows where
    // each write ran relative to the removal.
    const box = nodeSecretBox(randomBytes(32))
    const log: string[] = []
    const logging: SecretBox = {
      encryptChunks: (pieces) => {
        const text = [...pieces].join('')
        log.push(`write ${JSON.parse(text).n}`)
        return box.encryptChunks([text])
      },
      decrypt: (data) => box.decrypt(data),
    }
    const store = new EncryptedStore(dir, logging, quiet)
    const members = ['cache', 'acct', 'org', 'o1', 'members.enc']
    const before = store.write(members, { n: 1 })
    const removal = store.remove(['cache', 'acct', 'org', 'o1']).then(() => void log.push('removed'))
    const after = store.write(members, { n: 2 })
    const elsewhere = store.write(['cache', 'acct', 'org', 'o2', 'members.enc'], { n: 3 })
    await Promise.all([before, removal, after, elsewhere])
    expect(log.indexOf('write 1')).toBeLessThan(log.indexOf('removed'))
    expect(log.indexOf('removed')).toBeLessThan(log.indexOf('write 2'))
    expect(await store.read(members, z.object({ n: z.number() }))).toEqual({ n: 2 })
    expect(await readdir(store.path('cache', 'acct', 'org', 'o1'))).toEqual(['members.enc'])
  })

  it('round-trips values and keeps them unreadable on disk', async () => {
    const store = new EncryptedStore(dir, nodeSecretBox(randomBytes(32)), quiet)
    await store.write(['a', 'secret.enc'], { email: 'alice@acme.test', token: 'rt_123456' })
    expect(await store.read(['a', 'secret.enc'], z.object({ email: z.string(), token: z.string() }))).toEqual({
      email: 'alice@acme.test',
      token: 'rt_123456',
    })
    const raw = await readFile(store.path('a', 'secret.enc'))
    expect(raw.includes('alice')).toBe(false)
    expect(raw.includes('rt_123456')).toBe(false)
    if (process.platform !== 'win32') expect((await stat(store.path('a', 'secret.enc'))).mode & 0o077).toBe(0)
  })

  it('writes JSON given in pieces, and values larger than one encryption chunk, byte for byte', async () => {
    const store = new EncryptedStore(dir, nodeSecretBox(randomBytes(32)), quiet)
    await store.writeJson(['p.enc'], () => ['{"n":', '1,"payload":"a', 'b","check":2}'])
    expect(await store.read(['p.enc'], valueSchema)).toEqual({ n: 1, payload: 'ab', check: 2 })
    // Past 1 Mi characters: encrypted and written in several chunks.
    const payload = 'é'.repeat(1024 * 1024) + '😀'.repeat(3) + 'z'.repeat(5000)
    await store.write(['big.enc'], { n: 2, payload, check: payload.length })
    expect(await store.read(['big.enc'], valueSchema)).toEqual({ n: 2, payload, check: payload.length })
  })

  it('reads a file encrypted with another key, a corrupt file or a schema mismatch as absent', async () => {
    const warnings: string[] = []
    const log = { warn: (m: string) => warnings.push(m) }
    await new EncryptedStore(dir, nodeSecretBox(randomBytes(32)), log).write(['x.enc'], { n: 1 })
    const store = new EncryptedStore(dir, nodeSecretBox(randomBytes(32)), log)
    expect(await store.read(['x.enc'], z.object({ n: z.number() }))).toBeNull()
    await writeFile(store.path('y.enc'), 'garbage')
    expect(await store.read(['y.enc'], z.object({ n: z.number() }))).toBeNull()
    await store.write(['z.enc'], { n: 'not a number' })
    expect(await store.read(['z.enc'], z.object({ n: z.number() }))).toBeNull()
    expect(warnings).toHaveLength(3)
  })

  it('keeps renderer-supplied ids inside its directory', async () => {
    const store = new EncryptedStore(dir, nodeSecretBox(randomBytes(32)), quiet)
    for (const evil of ['..', '../../etc', '/abs', 'a/b', 'C:\\x']) {
      expect(store.path('cache', evil, 'f.enc').startsWith(join(dir, 'cache'))).toBe(true)
      expect(store.path('cache', evil, 'f.enc').split(/[/\\]/)).not.toContain('..')
    }
  })

  it('ignores and sweeps a partial temp file left by a crash', async () => {
    const store = new EncryptedStore(dir, nodeSecretBox(randomBytes(32)), quiet)
    await store.write(['v.enc'], { n: 1, payload: 'ok', check: 2 })
    await writeFile(`${store.path('v.enc')}.deadbeef0000.tmp`, 'half-written')
    expect(await store.read(['v.enc'], valueSchema)).toEqual({ n: 1, payload: 'ok', check: 2 })
    expect(await store.sweepTempFiles()).toBe(1)
    expect(await readdir(dir)).toEqual(['v.enc'])
  })

  it('survives a writer killed mid-write: the file holds the previous complete value', async () => {
    const key = randomBytes(32)
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'fixtures/crash-writer.ts'), dir, key.toString('hex')], {
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    // The writer stops itself half-way through the bytes of its second write: kill it exactly there.
    let out = ''
    await new Promise<void>((ok, fail) => {
      child.stdout.on('data', (d: Buffer) => (out += d.toString()).includes('mid-write') && ok())
      child.once('exit', (code) => fail(new Error(`writer exited before the chosen point (${code}): ${out}`)))
    })
    expect(out).toContain('ready')
    child.kill('SIGKILL')
    await new Promise((r) => child.once('exit', r))

    // Half of value 2 is on disk somewhere, but not in value.enc: that is the temp-file + rename contract.
    const store = new EncryptedStore(dir, nodeSecretBox(key), quiet)
    const value = await store.read(['value.enc'], valueSchema)
    expect(value).toMatchObject({ n: 1, check: 256 * 1024 })
    expect(value!.payload.length).toBe(value!.check)
    await store.sweepTempFiles()
    expect(await readdir(dir)).toEqual(['value.enc'])
  })
})

describe('secret keys', () => {
  it('accepts 32-byte keys as hex or base64 and refuses anything else', () => {
    const key = randomBytes(32)
    expect(parseSecretKey(key.toString('hex'))).toEqual(key)
    expect(parseSecretKey(key.toString('base64'))).toEqual(key)
    expect(() => parseSecretKey('abcd')).toThrow(/32 bytes/)
  })

  it('creates one key per data dir, mode 0600, and reuses it', async () => {
    const file = join(dir, 'secret.key')
    const a = await loadSecretKey(file, {})
    const b = await loadSecretKey(file, {})
    expect(a).toEqual(b)
    if (process.platform !== 'win32') expect((await stat(file)).mode & 0o777).toBe(0o600)
    const fromEnv = randomBytes(32)
    expect(await loadSecretKey(file, { ORG_ADMIN_SECRET_KEY: fromEnv.toString('base64') })).toEqual(fromEnv)
  })

  it('encrypts long pieces chunk by chunk without splitting a character', () => {
    const box = nodeSecretBox(randomBytes(32))
    // A surrogate pair straddles the end of the first 1 Mi-character chunk.
    const text = 'a'.repeat(1024 * 1024 - 1) + '😀é' + 'b'.repeat(10)
    const chunks = [...box.encryptChunks([text, '', 'tail'])]
    expect(chunks.length).toBeGreaterThan(2)
    const sealed = Buffer.alloc(Math.max(...chunks.map((c) => c.at + c.bytes.length)))
    for (const { at, bytes } of chunks) bytes.copy(sealed, at)
    expect(box.decrypt(sealed).toString('utf8')).toBe(text + 'tail') // decrypted in place, chunk after chunk
  })

  it('detects tampering with a ciphertext', () => {
    const box = nodeSecretBox(randomBytes(32))
    const sealed = Buffer.alloc(1 + 12 + 16 + 'hello'.length)
    for (const { at, bytes } of box.encryptChunks(['hel', 'lo'])) bytes.copy(sealed, at)
    expect(box.decrypt(Buffer.from(sealed)).toString()).toBe('hello')
    sealed[sealed.length - 1]! ^= 1
    expect(() => box.decrypt(sealed)).toThrow()
  })
})
