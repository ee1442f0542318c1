/**
 * The renderer's Content-Security-Policy, sent as a response header by Electron's session
 * and by the loopback harness (index.html carries the same policy as a <meta> tag).
 * Scripts only from our own files; the only connection a page may open is the harness socket.
 */
export function contentSecurityPolicy(connectSrc: string[] = [], opts: { dev?: boolean } = {}): string {
  return [
    "default-src 'self'",
    // Vite's dev server injects an inline React Refresh preamble; built files need none.
    opts.dev ? "script-src 'self' 'unsafe-inline'" : "script-src 'self'",
    // React sets style attributes; no remote styles.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ${connectSrc.join(' ')}`.trim(),
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ')
}
