/**
 * Browser side of the loopback harness: builds the same `window.orgAdmin` the Electron
 * preload exposes, over a WebSocket to the harness host. Runs before the app module.
 * The URL's one-time code is removed from the address bar before the app sees it and
 * traded, on the first connection, for a session token kept in sessionStorage (so a
 * reload and a reconnect keep working, and the URL itself opens nothing a second time).
 */
import { createOrgAdminApi, type BridgeTransport } from '../../shared/bridge'
import type { ChannelName, EventName, IpcResult } from '../../shared/ipc'

const SESSION_KEY = 'org-admin-harness-session'
const RECONNECT_MS = 1_000
const REFUSED: IpcResult = {
  ok: false,
  error: {
    code: 'forbidden_sender',
    message:
      'This window is not connected to Org Admin: its link works only once (or has expired), or it has no code. Open the link `npm start` printed, or restart it for a fresh one.',
  },
}

function takeCode(): string | null {
  const match = /(?:^#|&)code=([A-Za-z0-9_-]+)/.exec(location.hash)
  if (match) history.replaceState(null, '', location.pathname + location.search)
  return match?.[1] ?? null
}

function createWsTransport(code: string | null): BridgeTransport {
  const base = `${location.origin.replace(/^http/, 'ws')}/bridge`
  const pending = new Map<number, (r: IpcResult) => void>()
  const listeners = new Set<(event: EventName, payload: unknown) => void>()
  let nextId = 1
  let socket: WebSocket
  /** Resolves true when connected, false when the host refused this window. */
  let opened: Promise<boolean>

  const credential = () => {
    const session = sessionStorage.getItem(SESSION_KEY)
    if (session) return `session=${encodeURIComponent(session)}`
    return code ? `code=${encodeURIComponent(code)}` : null
  }

  const connect = () => {
    const query = credential()
    if (!query) {
      opened = Promise.resolve(false)
      return
    }
    socket = new WebSocket(`${base}?${query}`)
    let wasOpen = false
    opened = new Promise((resolve) => {
      socket.addEventListener('open', () => resolve((wasOpen = true)), { once: true })
      socket.addEventListener('close', () => resolve(false), { once: true })
    })
    socket.addEventListener('message', (e) => {
      const msg = JSON.parse(String(e.data)) as { id?: number; result?: IpcResult; event?: EventName; payload?: unknown; session?: string }
      if (msg.session) {
        sessionStorage.setItem(SESSION_KEY, msg.session)
      } else if (msg.id !== undefined && msg.result) {
        pending.get(msg.id)?.(msg.result)
        pending.delete(msg.id)
      } else if (msg.event) {
        for (const l of listeners) l(msg.event, msg.payload)
      }
    })
    socket.addEventListener('close', () => {
      // Calls in flight cannot be answered any more; the host may come back (restart).
      for (const resolve of pending.values()) {
        resolve({ ok: false, error: { code: 'offline', message: 'Lost the connection to the harness host' } })
      }
      pending.clear()
      // Refused outright (used code, unknown session): retrying cannot help.
      if (wasOpen) setTimeout(connect, RECONNECT_MS)
    })
  }
  connect()

  return {
    async invoke(channel: ChannelName, payload: unknown) {
      // Connected: sent within the call, as Electron's IPC sends it, not a microtask later (after
      // the React render that a keystroke's handler starts).
      if (socket?.readyState !== WebSocket.OPEN && !(await opened)) return REFUSED
      if (socket.readyState !== WebSocket.OPEN) {
        return { ok: false, error: { code: 'offline', message: 'Not connected to the harness host; retrying' } }
      }
      const id = nextId++
      return new Promise<IpcResult>((resolve) => {
        pending.set(id, resolve)
        socket.send(JSON.stringify({ id, channel, payload }))
      })
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}

window.orgAdmin = createOrgAdminApi(createWsTransport(takeCode()))
