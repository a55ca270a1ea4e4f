// `schakel demo generate`: a synthetic history (cases, requests, reviews, events) played through the real services.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ensurePki } from '../../keys/pki-setup.ts';
import { loadCatalogue } from '../catalogue.ts';
import { generateHistory } from '../demo/generate-history.ts';
import { UsageError } from '../errors.ts';
import { seedDemo } from '../identity/demo-seed.ts';
import { openDisclosureLog } from '../audit/runtime.ts';
import { createIdentityAudit } from '../identity/identity-audit.ts';
import { createRegistry } from '../identity/registry.ts';
import { createRuntimeLogger, loadRuntimeConfig, openConfiguredStore } from '../main.ts';
import { DEFAULT_BUNDLE_FILE } from '../policy/paths.ts';
import { startPolicy } from '../policy/runtime.ts';
import { ensureSealKey } from '../requests/seal-key-file.ts';
import { migrate } from '../store/database.ts';
import { EXIT_OK, type Command } from './command.ts';

const positiveInt = (name: string, value: string | undefined, fallback: number, max: number): number => {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw new UsageError(`--${name} takes a whole number from 1 to ${max}`);
  return n;
};

export const demoGenerateCommand: Command = {
  path: ['demo', 'generate'],
  summary: 'generate a synthetic history for the indicators (demo databases only)',
  help: `Usage: schakel demo generate [--cases N] [--months M] [--seed S] [--concurrency C]

Plays a plausible, entirely synthetic history into the configured database: N cases (default 200)
reported over the M months before now (default 24), each with its team, information requests, the
holders' professionals releasing or refusing, consents, break-glass uses with their review, risk
assessments, approach plans, monitoring and closure. Every step goes through the broker's own case,
consent, request, review and break-glass services, so the tables and the disclosure log hold what
partner traffic would have left there; holders' sources are simulated with fictitious records.

The services and the log read a SIMULATED clock set to each step's moment in the past. That clock
exists only in this command: the broker itself always uses the real time and never accepts a
client-supplied one.

Runs only where demo data is on (the embedded database, or SCHAKEL_DEMO=true with
SCHAKEL_DATABASE_URL), and registers the demo partners first when they are missing. Stop
\`schakel serve\` first on the embedded database. The same --seed gives the same persons and plan.

  --cases        number of cases (default 200, at most 100000)
  --months       length of the history in months (default 24, at most 120)
  --seed         seed of the plan (default 1)
  --concurrency  cases played side by side (default 64)

Prints progress to stderr and a summary to stdout. Exit 0 on success, 2 on usage errors or when a
step fails (the message names the case and the step).`,
  async run(args) {
    const { values } = parseArgs({
      args: [...args],
      options: {
        cases: { type: 'string' },
        months: { type: 'string' },
        seed: { type: 'string' },
        concurrency: { type: 'string' },
      },
      strict: true,
    });
    const cases = positiveInt('cases', values.cases, 200, 100_000);
    const months = positiveInt('months', values.months, 24, 120);
    const seed = positiveInt('seed', values.seed, 1, 1_000_000);
    const concurrency = positiveInt('concurrency', values.concurrency, 64, 256);
    const config = loadRuntimeConfig();
    if (!config.demo) {
      throw new UsageError(
        'demo data is off for this database: a synthetic history belongs in a demo or test database only (set SCHAKEL_DEMO=true for one)',
      );
    }
    const logger = createRuntimeLogger({ ...config, log: { ...config.log, level: 'warn' } });
    const store = await openConfiguredStore(config);
    try {
      await migrate(store.db);
      if (config.pki.certFile === undefined) {
        await ensurePki(config.pki.dir);
        // Registering partners is logged at the real time; the log is closed (its witness flushed)
        // before the generator opens its own on the simulated clock.
        const seeding = await openDisclosureLog({ db: store.db, settings: config.audit, logger });
        try {
          await seedDemo(config.pki.dir, createRegistry(store.db, createIdentityAudit(seeding.log, logger)));
        } finally {
          await seeding.close();
        }
      }
      const policy = await startPolicy(
        {
          bundle: readFileSync(config.policy.bundleFile ?? DEFAULT_BUNDLE_FILE),
          publicKeyPem:
            config.policy.publicKeyFile === undefined
              ? undefined
              : readFileSync(config.policy.publicKeyFile, 'utf8'),
          maxMemoryBytes: config.policy.maxMemoryBytes,
        },
        logger,
      );
      const started = performance.now();
      let lastPrint = started;
      const result = await generateHistory({
        db: store.db,
        catalogue: loadCatalogue(),
        decide: (input) => policy.decide(input),
        audit: config.audit,
        sealKey: ensureSealKey(config.flow.sealKeyFile).key,
        cases,
        months,
        seed,
        concurrency,
        onProgress: (p) => {
          if (performance.now() - lastPrint < 2_000 && p.stepsDone < p.steps) return;
          lastPrint = performance.now();
          const share = Math.floor((100 * p.stepsDone) / Math.max(1, p.steps));
          process.stderr.write(
            `schakel demo generate: ${share}% (${p.stepsDone}/${p.steps} steps, ${p.logEntries} log entries), simulated ${p.simulated.toISOString().slice(0, 10)}\n`,
          );
        },
      });
      const seconds = (performance.now() - started) / 1000;
      console.log(
        `generated ${result.cases} cases from ${result.from.toISOString().slice(0, 10)} to ${result.to.toISOString().slice(0, 10)}: ` +
          `${result.steps} steps, ${result.logEntries} log entries in ${seconds.toFixed(1)} s`,
      );
      return EXIT_OK;
    } finally {
      await store.close();
    }
  },
};
