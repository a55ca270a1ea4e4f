// One decision at a time per thing decided (a review, a break-glass use) in this process: a second one sent meanwhile gets 409 before anything is logged.
import { ConflictError } from '../errors.ts';

/**
 * Runs `work` for a key unless work for the same key is running in this process; then it refuses
 * with ConflictError without calling `work`. A double click or two tabs would otherwise both pass
 * the "still pending?" check and both write a log entry before either stores its decision. Across
 * processes the decision's conditional write is the arbiter (see its callers).
 *
 * @example const once = oneAtATime(); await once.run(reviewId, 'The review is being decided.', () => decide());
 */
export function oneAtATime() {
  const running = new Set<string>();
  return {
    async run<T>(key: string, busy: string, work: () => Promise<T>): Promise<T> {
      if (running.has(key)) throw new ConflictError(busy);
      running.add(key);
      try {
        return await work();
      } finally {
        running.delete(key);
      }
    },
  };
}
