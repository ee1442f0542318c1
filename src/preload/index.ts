/**
 * The preload exposes exactly one object, `window.orgAdmin`, built from the shared channel
 * table. The renderer never sees ipcRenderer: only typed calls and an event subscription.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { createOrgAdminApi } from '../shared/bridge'
import { IPC_EVENT, IPC_INVOKE, type EventName, type IpcResult } from '../shared/ipc'

const api = createOrgAdminApi({
  invoke: (channel, payload) => ipcRenderer.invoke(IPC_INVOKE, channel, payload) as Promise<IpcResult>,
  subscribe(listener) {
    const handler = (_event: IpcRendererEvent, name: EventName, payload: unknown) => listener(name, payload)
    ipcRenderer.on(IPC_EVENT, handler)
    return () => {
      ipcRenderer.removeListener(IPC_EVENT, handler)
    }
  },
})

contextBridge.exposeInMainWorld('orgAdmin', api)
