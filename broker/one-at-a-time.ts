// One change at a time per thing changed (a review, a break-glass use, a case membership) in this process: a second one sent meanwhile is refused before anything is logged.

/**
 * Runs `work` for a key unless work for the same key is running in this process; then it throws
 * `busy()` (a 409) without calling `work`. A double click or two tabs would otherwise both pass the
 * "not done yet?" check and both write a log entry before either stores its change. Across
 * processes the change's conditional write is the arbiter (see its callers).
 *
 * @example const once = oneAtATime(); await once.run(reviewId, () => new ConflictError('Being decided.'), () => decide());
 */
export function oneAtATime() {
  const running = new Set<string>();
  return {
    async run<T>(key: string, busy: () => Error, work: () => Promise<T>): Promise<T> {
      if (running.has(key)) throw busy();
      running.add(key);
      try {
        return await work();
      } finally {
        running.delete(key);
      }
    },
  };
}
