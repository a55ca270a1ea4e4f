// Summarises a V8 .cpuprofile (from --cpu-prof, e.g. SCHAKEL_BENCH_CPU_PROF): self and inclusive time by file or package.
// Run: npm exec -- node bench/profile-summary.ts FILE.cpuprofile [TOP=30] [LAST_S]  (LAST_S: only the profile's last seconds, e.g. the load window)
import { readFileSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string };
  readonly children?: readonly number[];
}

interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
  readonly endTime: number;
  readonly startTime: number;
}

const ROOT = path.resolve(import.meta.dirname, '..');

/** Where a frame's time is booked: a dependency by package name, our code by path, the rest by kind. */
export function bucketOf(frame: ProfileNode['callFrame']): string {
  const { url, functionName } = frame;
  if (url === '') {
    if (functionName === '(garbage collector)') return '(gc)';
    if (functionName === '(idle)' || functionName === '(program)' || functionName === '(root)')
      return functionName;
    return `(native) ${functionName}`;
  }
  const file = url.startsWith('file://') ? new URL(url).pathname : url;
  const modules = file.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const rest = file.slice(modules + '/node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (file.startsWith('node:')) return file;
  return path.relative(ROOT, file);
}

/**
 * Self and inclusive microseconds by bucket; each sample counts once per bucket on its stack. With
 * `lastUs`, only samples in the profile's last microseconds count (the load, not the start-up).
 */
export function summarise(
  profile: Profile,
  lastUs = Number.POSITIVE_INFINITY,
): {
  total: number;
  rows: { bucket: string; self: number; inclusive: number }[];
} {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  let at = profile.startTime;
  const from = profile.endTime - lastUs;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    at += dt;
    if (at < from) return;
    const leaf = byId.get(id)!;
    const leafBucket = bucketOf(leaf.callFrame);
    if (leafBucket === '(idle)') return;
    total += dt;
    self.set(leafBucket, (self.get(leafBucket) ?? 0) + dt);
    const seen = new Set<string>();
    for (let node: number | undefined = id; node !== undefined; node = parent.get(node)) {
      const bucket = bucketOf(byId.get(node)!.callFrame);
      if (seen.has(bucket)) continue;
      seen.add(bucket);
      inclusive.set(bucket, (inclusive.get(bucket) ?? 0) + dt);
    }
  });
  const rows = [...inclusive.keys()].map((bucket) => ({
    bucket,
    self: self.get(bucket) ?? 0,
    inclusive: inclusive.get(bucket) ?? 0,
  }));
  return { total, rows };
}

if (import.meta.main) {
  const [file, topArg, lastArg] = process.argv.slice(2);
  if (file === undefined) {
    console.error('usage: node bench/profile-summary.ts FILE.cpuprofile [TOP=30] [LAST_S]');
    process.exit(2);
  }
  const top = Number(topArg ?? 30);
  const lastUs = lastArg === undefined ? Number.POSITIVE_INFINITY : Number(lastArg) * 1e6;
  const { total, rows } = summarise(JSON.parse(readFileSync(file, 'utf8')) as Profile, lastUs);
  const pct = (us: number) => `${((us / total) * 100).toFixed(1).padStart(5)} %`;
  console.log(`busy (not idle): ${(total / 1e6).toFixed(2)} s`);
  console.log('\nby self time:');
  for (const r of [...rows].sort((a, b) => b.self - a.self).slice(0, top))
    console.log(`  ${pct(r.self)}  ${r.bucket}`);
  console.log('\nby inclusive time (each file once per sample):');
  for (const r of [...rows]
    .filter((r) => !r.bucket.startsWith('('))
    .sort((a, b) => b.inclusive - a.inclusive)
    .slice(0, top))
    console.log(`  ${pct(r.inclusive)}  ${r.bucket}`);
}
