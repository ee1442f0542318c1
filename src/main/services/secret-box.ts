/**
 * Encryption at rest for tokens and caches. Electron's safeStorage (OS keychain) in the app;
 * AES-256-GCM with an explicit key under Node (tests, loopback harness, keyring-less Linux).
 * Nothing the app writes to disk is plaintext.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { link, mkdir, open, readFile, unlink } from 'node:fs/promises'
import { dirname } from 'node:path'

export interface SecretBox {
  /**
   * Encrypts the pieces (UTF-8 bytes, or whole strings) as one plaintext, a chunk at a time:
   * yields each chunk of the sealed file with its offset; the header, complete only at the end,
   * comes last, for offset 0. A 15 MiB member list is never one string, buffer or ciphertext.
   */
  encryptChunks(pieces: Iterable<string | Buffer>): Iterable<SealedChunk>
  /** The plaintext; may be decrypted in place, so `data` is not to be used afterwards. */
  decrypt(data: Buffer): Buffer
}

export type SealedChunk = { at: number; bytes: Buffer }

const VERSION = 1
const IV_BYTES = 12
const TAG_BYTES = 16
const HEADER = 1 + IV_BYTES + TAG_BYTES
/** Plaintext characters (or bytes) encrypted and written at a time. */
const SEAL_CHARS = 1024 * 1024
/**
 * Decryption streams in fixed chunks back into the sealed buffer itself, just behind the part
 * read: a 15 MiB cache costs no second buffer of its size (fresh pages cost more than the copy).
 */
const OPEN_BYTES = 64 * 1024

/** Layout: version (1) | iv (12) | auth tag (16) | ciphertext. */
export function nodeSecretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new Error('The secret key must be 32 bytes (AES-256)')
  return {
    *encryptChunks(pieces) {
      const iv = randomBytes(IV_BYTES)
      const cipher = createCipheriv('aes-256-gcm', key, iv)
      let at = HEADER
      for (const piece of pieces) {
        for (let i = 0; i < piece.length; ) {
          let end = Math.min(i + SEAL_CHARS, piece.length)
          // A surrogate pair split in two would encode as U+FFFD twice.
          if (typeof piece === 'string' && isHighSurrogate(piece.charCodeAt(end - 1))) end++
          const part = i === 0 && end >= piece.length ? piece : typeof piece === 'string' ? piece.slice(i, end) : piece.subarray(i, end)
          const bytes = typeof part === 'string' ? cipher.update(part, 'utf8') : cipher.update(part)
          yield { at, bytes }
          at += bytes.length
          i = end
        }
      }
      cipher.final() // GCM emits no bytes here; it completes the tag
      const header = Buffer.allocUnsafe(HEADER)
      header[0] = VERSION
      iv.copy(header, 1)
      cipher.getAuthTag().copy(header, 1 + IV_BYTES)
      yield { at: 0, bytes: header }
    },
    decrypt(data) {
      if (data.length < HEADER || data[0] !== VERSION) throw new Error('Not an encrypted Org Admin file')
      const iv = data.subarray(1, 1 + IV_BYTES)
      const tag = data.subarray(1 + IV_BYTES, HEADER)
      const decipher = createDecipheriv('aes-256-gcm', key, iv)
      decipher.setAuthTag(tag)
      let at = 0
      for (let i = HEADER; i < data.length; i += OPEN_BYTES) at += decipher.update(data.subarray(i, i + OPEN_BYTES)).copy(data, at)
      decipher.final() // throws when the file was torn or tampered with: nothing unauthenticated is used
      return data.subarray(0, at)
    },
  }
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff

/** The subset of Electron's `safeStorage` used here (kept structural: no Electron import). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean
  encryptString(plain: string): Buffer
  decryptString(data: Buffer): string
}

export function safeStorageBox(safeStorage: SafeStorageLike): SecretBox {
  return {
    // safeStorage takes one whole string: the pieces are joined and sealed at once.
    encryptChunks: (pieces) => [{ at: 0, bytes: safeStorage.encryptString(Buffer.concat([...pieces].map((p) => (typeof p === 'string' ? Buffer.from(p) : p))).toString('utf8')) }],
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
