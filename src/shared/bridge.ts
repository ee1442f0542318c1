/**
 * The object exposed to the renderer as `window.orgAdmin`, built the same way by the
 * Electron preload (over ipcRenderer) and by the loopback harness (over a WebSocket).
 * Methods resolve to the result envelope instead of rejecting: contextBridge drops every
 * property of a thrown Error but its message, and the UI needs the error code.
 */
import {
  CHANNEL_NAMES,
  type ChannelName,
  type ChannelRequest,
  type ChannelResponse,
  type EventName,
  type Events,
  type IpcResult,
} from './ipc'
import type { ApiErrorBody, ErrorCode } from './errors'

type Split<S extends string> = S extends `${infer A}.${infer B}` ? [A, B] : never
type Group<C extends ChannelName> = Split<C>[0]
type Method<C extends ChannelName> = Split<C>[1]

export type Result<T> = { ok: true; data: T } | { ok: false; error: ApiErrorBody }

export type OrgAdminApi = {
  [G in Group<ChannelName>]: {
    [C in ChannelName as Group<C> extends G ? Method<C> : never]: (req: ChannelRequest<C>) => Promise<Result<ChannelResponse<C>>>
  }
} & {
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void
}

/** An error from main as the renderer sees it: code + the server's own message. */
export class BridgeError extends Error {
  readonly code: ErrorCode
  readonly details: unknown
  constructor(body: ApiErrorBody) {
    super(body.message)
    this.name = 'BridgeError'
    this.code = body.code
    this.details = body.details
  }
}

/** Renderer side: turn an envelope back into a value or a thrown BridgeError. */
export async function unwrap<T>(result: Promise<Result<T>>): Promise<T> {
  const r = await result
  if (!r.ok) throw new BridgeError(r.error)
  return r.data
}

export interface BridgeTransport {
  invoke(channel: ChannelName, payload: unknown): Promise<IpcResult>
  subscribe(listener: (event: EventName, payload: unknown) => void): () => void
}

export function createOrgAdminApi(transport: BridgeTransport): OrgAdminApi {
  const api: Record<string, Record<string, (req: unknown) => Promise<unknown>>> = {}
  for (const name of CHANNEL_NAMES) {
    const [group, method] = name.split('.') as [string, string]
    api[group] ??= {}
    api[group][method] = (req) => transport.invoke(name, req)
  }
  const on = (event: EventName, listener: (payload: never) => void) =>
    transport.subscribe((name, payload) => {
      if (name === event) listener(payload as never)
    })
  return Object.freeze({ ...api, on }) as unknown as OrgAdminApi
}
