#!/usr/bin/env node
// The `schakel` executable: runs the TypeScript CLI on Node 22's built-in type stripping.
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  console.error(
    `schakel needs Node.js 22.18 or newer (this is ${process.version}). ` +
      'Run it through npm (npm start, npx schakel) so the project-local Node 22 is used.',
  );
  process.exit(2);
}
const { runCli } = await import('../broker/cli/main.ts');
process.exitCode = await runCli(process.argv.slice(2));
