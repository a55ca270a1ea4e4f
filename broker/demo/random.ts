// Seeded randomness for the synthetic history: the same seed gives the same plan.

/** A deterministic pseudo-random source (mulberry32) with the draws the generator needs. */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** True with probability p. */
  chance(p: number): boolean;
  /** Uniform in [min, max). */
  between(min: number, max: number): number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  /** One element, uniformly. */
  pick<T>(items: readonly T[]): T;
  /** One element by weight: [[item, weight], ...]. */
  weighted<T>(items: readonly (readonly [T, number])[]): T;
  /** Exponentially distributed with the given mean. */
  exponential(mean: number): number;
}

/** @example const rng = createRandom(42); rng.int(1, 6); */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const random: Random = {
    next,
    chance: (p) => next() < p,
    between: (min, max) => min + (max - min) * next(),
    int: (min, max) => min + Math.floor((max - min + 1) * next()),
    pick: (items) => items[Math.floor(next() * items.length)] as (typeof items)[number],
    weighted(items) {
      const total = items.reduce((sum, [, w]) => sum + w, 0);
      let draw = next() * total;
      for (const [item, weight] of items) {
        draw -= weight;
        if (draw < 0) return item;
      }
      return items[items.length - 1]![0];
    },
    exponential: (mean) => -mean * Math.log(1 - next()),
  };
  return random;
}

/**
 * A fictitious BSN that passes the elfproef, derived from a number (distinct for n below one
 * million). The generated history is synthetic: these numbers belong to no one in its data.
 */
export function syntheticBsn(n: number): string {
  for (let candidate = n * 10; ; candidate++) {
    const digits = `9${String(candidate % 10_000_000).padStart(7, '0')}`;
    let sum = 0;
    for (let i = 0; i < 8; i++) sum += Number(digits[i]) * (9 - i);
    // 9·d1 + ... + 2·d8 − d9 ≡ 0 (mod 11) with d9 a single digit.
    const check = sum % 11;
    if (check <= 9) return `${digits}${check}`;
  }
}
