/**
 * Encrypted JSON files under one directory. Writes are atomic (temp file in the same
 * directory, fsync, rename), so a crash leaves either the old or the new content, never a
 * torn file. A file that cannot be decrypted or does not match its schema reads as absent:
 * a damaged cache must cost a re-sync, not a crash.
 */
import { randomBytes } from 'node:crypto'
import { mkdir, open, readdir, readFile, rename, rm, type FileHandle } from 'node:fs/promises'
import { dirname, join, sep } from 'node:path'
import type { z } from 'zod'
import type { SealedChunk, SecretBox } from './secret-box'

const TEMP_SUFFIX = '.tmp'

export type Logger = { warn(message: string): void }

export class EncryptedStore {
  /** One write chain per file, so two writes of the same file land in call order. */
  private readonly chains = new Map<string, Promise<void>>()
  /**
   * Removals under way, by path. Removal and writes under its path are ordered: it waits for
   * the writes asked before it, and writes asked meanwhile wait for it, so a write never
   * renames into a folder being deleted (ENOENT) nor is undone by a later removal.
   */
  private readonly removals = new Map<string, Promise<void>>()

  constructor(
    readonly dir: string,
    private readonly box: SecretBox,
    private readonly log: Logger = console,
  ) {}

  /** `segments` come from ids the renderer may send; encode them so none can escape `dir`. */
  path(...segments: string[]): string {
    return join(this.dir, ...segments.map(safeSegment))
  }

  async read<S extends z.ZodType>(segments: string[], schema: S): Promise<z.output<S> | null> {
    const file = this.path(...segments)
    let raw: Buffer
    try {
      raw = await readFile(file)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
      this.log.warn(`[store] cannot read ${file}: ${(err as Error).message}`)
      return null
    }
    try {
      const parsed = schema.safeParse(JSON.parse(this.box.decrypt(raw).toString('utf8')))
      if (parsed.success) return parsed.data
      this.log.warn(`[store] ${file} does not match its schema; ignoring it`)
    } catch (err) {
      this.log.warn(`[store] ${file} is unreadable (${(err as Error).message}); ignoring it`)
    }
    return null
  }

  write(segments: string[], value: unknown): Promise<void> {
    return this.writeJson(segments, () => [JSON.stringify(value)])
  }

  /**
   * A value already serialized, as JSON in pieces (strings or UTF-8 bytes; joined, the file's JSON):
   * large files are encrypted and written piece by piece. `pieces` runs when the write does.
   */
  writeJson(segments: string[], pieces: () => Iterable<string | Buffer>): Promise<void> {
    const file = this.path(...segments)
    const previous = this.chains.get(file) ?? Promise.resolve()
    const next = Promise.all([previous.catch(() => undefined), this.removalsOver(file)]).then(() => this.writeNow(file, pieces()))
    this.chains.set(file, next)
    void next.finally(() => {
      if (this.chains.get(file) === next) this.chains.delete(file)
    }).catch(() => undefined)
    return next
  }

  /** Delete a file or a whole directory of them (e.g. everything cached for an account). */
  remove(segments: string[]): Promise<void> {
    const target = this.path(...segments)
    const writes = [...this.chains].filter(([file]) => isUnder(file, target)).map(([, p]) => p)
    const run = Promise.allSettled([...writes, this.removalsOver(target)]).then(() => rm(target, { recursive: true, force: true }))
    this.removals.set(target, run)
    void run.finally(() => {
      if (this.removals.get(target) === run) this.removals.delete(target)
    }).catch(() => undefined)
    return run
  }

  /** Settles once every removal under way of `path` or a folder holding it is done. */
  private removalsOver(path: string): Promise<unknown> {
    return Promise.allSettled([...this.removals].filter(([dir]) => isUnder(path, dir)).map(([, p]) => p))
  }

  /** Temp files left by a crash mid-write are garbage: the real file was never replaced. */
  async sweepTempFiles(dir = this.dir): Promise<number> {
    let removed = 0
    let entries
    try {
      entries = await readdir(dir, { withFileTypes: true })
    } catch {
      return 0
    }
    for (const entry of entries) {
      const full = join(dir, entry.name)
      if (entry.isDirectory()) removed += await this.sweepTempFiles(full)
      else if (entry.name.endsWith(TEMP_SUFFIX)) {
        await rm(full, { force: true })
        removed++
      }
    }
    return removed
  }

  private async writeNow(file: string, pieces: Iterable<string | Buffer>): Promise<void> {
    const dir = dirname(file)
    await mkdir(dir, { recursive: true, mode: 0o700 })
    const tmp = `${file}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`
    const fh = await open(tmp, 'wx', 0o600)
    try {
      await writeChunks(fh, this.box.encryptChunks(pieces))
      await fh.sync()
    } catch (err) {
      await fh.close()
      await rm(tmp, { force: true })
      throw err
    }
    await fh.close()
    try {
      await rename(tmp, file)
    } catch (err) {
      await rm(tmp, { force: true })
      throw err
    }
    await syncDir(dir)
  }
}

/** Bytes gathered per write call: chunks that follow each other go out together. */
const WRITE_BATCH = 1024 * 1024

async function writeChunks(fh: FileHandle, chunks: Iterable<SealedChunk>): Promise<void> {
  let batch: Buffer[] = []
  let start = 0
  let size = 0
  const flush = async () => {
    if (size > 0) await fh.writev(batch, start) // libuv writes all of it or fails
    batch = []
    size = 0
  }
  for (const { at, bytes } of chunks) {
    if (size > 0 && (at !== start + size || size >= WRITE_BATCH)) await flush()
    if (size === 0) start = at
    batch.push(bytes)
    size += bytes.length
  }
  await flush()
}

/** Make the rename itself durable; not every platform lets a directory be fsynced. */
async function syncDir(dir: string): Promise<void> {
  try {
    const fh = await open(dir, 'r')
    try {
      await fh.sync()
    } finally {
      await fh.close()
    }
  } catch {
    // Windows: directories cannot be opened for fsync; NTFS orders the rename anyway.
  }
}

const isUnder = (path: string, dir: string) => path === dir || path.startsWith(dir + sep)

function safeSegment(segment: string): string {
  if (/^[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}$/.test(segment) && !segment.endsWith(TEMP_SUFFIX)) return segment
  // base64url has no '.', '/' or '\\': `..`, absolute paths and separators cannot survive it.
  return `~${Buffer.from(segment, 'utf8').toString('base64url')}`
}
