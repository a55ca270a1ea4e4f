// SIMULATED clock for `schakel demo generate` only: each generated step runs at its own simulated instant.
import { AsyncLocalStorage } from 'node:async_hooks';

/** A clock whose time is set per unit of work; the broker itself always uses the real time. */
export interface SimulatedClock {
  /** The simulated instant of the work currently running (the latest one entered outside any work). */
  now(this: void): Date;
  /** Runs `work` with the clock reading `instant` in it and everything it awaits. */
  at<T>(this: void, instant: Date, work: () => Promise<T>): Promise<T>;
}

/**
 * Creates a simulated clock. Steps of different cases run concurrently, so the time is kept per
 * asynchronous context (AsyncLocalStorage) rather than in one variable.
 *
 * @example const clock = createSimulatedClock(new Date('2024-01-01')); await clock.at(when, () => cases.open(...));
 */
export function createSimulatedClock(start: Date): SimulatedClock {
  const context = new AsyncLocalStorage<Date>();
  // Work started outside a step (a batch writer draining) reads the latest instant entered, never the real time.
  let latest = start.getTime();
  return {
    now() {
      return new Date(context.getStore()?.getTime() ?? latest);
    },
    at(instant, work) {
      latest = Math.max(latest, instant.getTime());
      return context.run(instant, work);
    },
  };
}
