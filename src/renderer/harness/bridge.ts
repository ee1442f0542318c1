/**
 * Browser side of the loopback harness: builds the same `window.orgAdmin` the Electron
 * preload exposes, over a WebSocket to the harness host. Runs before the app module.
 * The per-run secret arrives in the URL fragment; it is moved to sessionStorage (so a
 * reload keeps working) and removed from the address bar before the app sees the URL.
 */
import { createOrgAdminApi, type BridgeTransport } from '../../shared/bridge'
import type { ChannelName, EventName, IpcResult } from '../../shared/ipc'

const SECRET_KEY = 'org-admin-harness-secret'
const RECONNECT_MS = 1_000

function takeSecret(): string {
  const match = /(?:^#|&)harness=([A-Za-z0-9_-]+)/.exec(location.hash)
  if (match) {
    sessionStorage.setItem(SECRET_KEY, match[1]!)
    history.replaceState(null, '', location.pathname + location.search)
  }
  return sessionStorage.getItem(SECRET_KEY) ?? ''
}

function createWsTransport(secret: string): BridgeTransport {
  const wsUrl = `${location.origin.replace(/^http/, 'ws')}/bridge?secret=${encodeURIComponent(secret)}`
  const pending = new Map<number, (r: IpcResult) => void>()
  const listeners = new Set<(event: EventName, payload: unknown) => void>()
  let nextId = 1
  let socket: WebSocket
  let opened: Promise<void>

  const connect = () => {
    socket = new WebSocket(wsUrl)
    opened = new Promise((resolve) => socket.addEventListener('open', () => resolve(), { once: true }))
    socket.addEventListener('message', (e) => {
      const msg = JSON.parse(String(e.data)) as { id?: number; result?: IpcResult; event?: EventName; payload?: unknown }
      if (msg.id !== undefined && msg.result) {
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
      setTimeout(connect, RECONNECT_MS)
    })
  }
  connect()

  return {
    async invoke(channel: ChannelName, payload: unknown) {
      await opened
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

window.orgAdmin = createOrgAdminApi(createWsTransport(takeSecret()))
