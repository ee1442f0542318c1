/**
 * The DNS seam on Ctx: the only network I/O of domain checks. `DNS_SERVER` (host or
 * host:port) names the resolver to ask; without it the system's resolvers are used.
 */
import { Resolver } from 'node:dns/promises'

export interface DnsResolver {
  /** Each TXT record as one string (its chunks joined), or a DnsLookupError saying what the resolver answered. */
  txt(name: string): Promise<string[]>
}

export class DnsLookupError extends Error {
  constructor(readonly answer: string) {
    super(answer)
  }
}

export function systemDns(server?: string): DnsResolver {
  const resolver = new Resolver({ timeout: 3_000, tries: 2 })
  if (server) resolver.setServers([server])
  return {
    async txt(name) {
      try {
        return (await resolver.resolveTxt(name)).map((chunks) => chunks.join(''))
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code
        // The codes node reports for "no such name" and "no TXT record there".
        if (code === 'ENOTFOUND' || code === 'ENODATA') return []
        throw new DnsLookupError(`${code ?? 'error'} asking ${server ?? 'the system resolver'} for ${name}`)
      }
    },
  }
}
