/**
 * Server addresses as people see them, and the one rule about plain http: only a server on
 * this machine (loopback) may be reached unencrypted without the person's explicit consent.
 */

/** 127.0.0.0/8, ::1 and localhost: traffic that never leaves this computer. */
export function isLoopbackUrl(url: string): boolean {
  let host: string
  try {
    host = new URL(url).hostname
  } catch {
    return false
  }
  return host === 'localhost' || host === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(host)
}

/** Plain http to another machine: passwords and tokens would cross the network readable. */
export function isInsecureRemote(url: string): boolean {
  return url.startsWith('http://') && !isLoopbackUrl(url)
}

/** "https://orgs.example.com" or "http://127.0.0.1:4010": scheme and host, no path. */
export function serverLabel(url: string): string {
  try {
    const u = new URL(url)
    return `${u.protocol}//${u.host}`
  } catch {
    return url
  }
}
