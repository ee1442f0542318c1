/**
 * Encryption at rest for tokens and caches. Electron's safeStorage (OS keychain) in the app;
 * AES-256-GCM with an explicit key under Node (tests, loopback harness, keyring-less Linux).
 * Nothing the app writes to disk is plaintext.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { link, mkdir, open, readFile, unlink } from 'node:fs/promises'
import { dirname } from 'node:path'

export interface SecretBox {
  encrypt(plain: Buffer | string): Buffer
  decrypt(data: Buffer): Buffer
}

const VERSION = 1
const IV_BYTES = 12
const TAG_BYTES = 16

/**
 * GCM streams in fixed chunks straight into one preallocated output: a 22 MiB cache costs
 * one copy of its size, not the three a one-shot update plus two concats make.
 */
const CHUNK = 64 * 1024
const HEADER = 1 + IV_BYTES + TAG_BYTES

function streamInto(out: Buffer, at: number, input: Buffer, step: (chunk: Buffer) => Buffer): void {
  for (let i = 0; i < input.length; i += CHUNK) at += step(input.subarray(i, i + CHUNK)).copy(out, at)
}

/** Layout: version (1) | iv (12) | auth tag (16) | ciphertext. */
export function nodeSecretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new Error('The secret key must be 32 bytes (AES-256)')
  return {
    encrypt(plain) {
      const input = typeof plain === 'string' ? Buffer.from(plain, 'utf8') : plain
      const iv = randomBytes(IV_BYTES)
      const cipher = createCipheriv('aes-256-gcm', key, iv)
      const out = Buffer.allocUnsafe(HEADER + input.length)
      out[0] = VERSION
      iv.copy(out, 1)
      streamInto(out, HEADER, input, (c) => cipher.update(c))
      cipher.final() // GCM emits no bytes here; it completes the tag
      cipher.getAuthTag().copy(out, 1 + IV_BYTES)
      return out
    },
    decrypt(data) {
      if (data.length < HEADER || data[0] !== VERSION) throw new Error('Not an encrypted Org Admin file')
      const iv = data.subarray(1, 1 + IV_BYTES)
      const tag = data.subarray(1 + IV_BYTES, HEADER)
      const decipher = createDecipheriv('aes-256-gcm', key, iv)
      decipher.setAuthTag(tag)
      const out = Buffer.allocUnsafe(data.length - HEADER)
      streamInto(out, 0, data.subarray(HEADER), (c) => decipher.update(c))
      decipher.final() // throws when the file was torn or tampered with: nothing unauthenticated is used
      return out
    },
  }
}

/** The subset of Electron's `safeStorage` used here (kept structural: no Electron import). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean
  encryptString(plain: string): Buffer
  decryptString(data: Buffer): string
}

export function safeStorageBox(safeStorage: SafeStorageLike): SecretBox {
  return {
    encrypt: (plain) => safeStorage.encryptString(typeof plain === 'string' ? plain : plain.toString('utf8')),
    decrypt: (data) => Buffer.from(safeStorage.decryptString(data), 'utf8'),
  }
}

/** A 32-byte key written as 64 hex digits or as base64. */
export function parseSecretKey(text: string): Buffer {
  const t = text.trim()
  const key = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64')
  if (key.length !== 32) throw new Error('ORG_ADMIN_SECRET_KEY must be 32 bytes, as 64 hex digits or base64')
  return key
}

export const SECRET_KEY_ENV = 'ORG_ADMIN_SECRET_KEY'

/**
 * The key from ORG_ADMIN_SECRET_KEY when set; otherwise a random key kept in `keyFile`
 * (created once, mode 0600). A key file beside the data only protects against casual reads
 * and copies of the cache directory, which is why the Electron app prefers safeStorage.
 */
export async function loadSecretKey(keyFile: string, env: NodeJS.ProcessEnv = process.env): Promise<Buffer> {
  const fromEnv = env[SECRET_KEY_ENV]
  if (fromEnv) return parseSecretKey(fromEnv)
  try {
    return parseSecretKey(await readFile(keyFile, 'utf8'))
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
  }
  await mkdir(dirname(keyFile), { recursive: true, mode: 0o700 })
  const key = randomBytes(32)
  const tmp = `${keyFile}.${process.pid}.tmp`
  const fh = await open(tmp, 'w', 0o600)
  try {
    await fh.writeFile(key.toString('hex'))
    await fh.sync()
  } finally {
    await fh.close()
  }
  // link() fails if another process created the key first: then that key wins.
  try {
    await link(tmp, keyFile)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    return parseSecretKey(await readFile(keyFile, 'utf8'))
  } finally {
    await unlink(tmp)
  }
  return key
}
