/** Every timestamp the server writes or compares comes from a Clock, so tests can move time. */
export interface Clock {
  now(): Date
}

export const systemClock: Clock = { now: () => new Date() }

export class ManualClock implements Clock {
  private t: number
  constructor(start: Date | string = '2026-01-05T09:00:00.000Z') {
    this.t = new Date(start).getTime()
  }
  now(): Date {
    return new Date(this.t)
  }
  advance(ms: number): void {
    this.t += ms
  }
  set(date: Date | string): void {
    this.t = new Date(date).getTime()
  }
}
