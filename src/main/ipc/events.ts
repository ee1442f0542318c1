/** Events main pushes to the renderer(s): Electron windows or harness pages subscribe here. */
import type { EventName, Events } from '../../shared/ipc'

export interface EventSink {
  emit<E extends EventName>(event: E, payload: Events[E]): void
}

export type EventListener = (event: EventName, payload: unknown) => void

export class EventHub implements EventSink {
  private readonly listeners = new Set<EventListener>()

  emit<E extends EventName>(event: E, payload: Events[E]): void {
    for (const listener of this.listeners) {
      try {
        listener(event, payload)
      } catch (err) {
        console.warn(`[events] a listener of ${event} failed:`, err)
      }
    }
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
}
