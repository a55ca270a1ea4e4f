// `schakel people add|list`: people who sign in to the pages, each with a role and a partner.
import { parseArgs } from 'node:util';
import { UsageError } from '../errors.ts';
import { PERSON_ROLES } from '../identity/roles.ts';
import { withRegistry } from './registry-session.ts';
import { EXIT_OK, type Command } from './command.ts';

export const peopleAddCommand: Command = {
  path: ['people', 'add'],
  summary: 'register a person who signs in to the pages',
  help: `Usage: schakel people add --id ID --name NAME --partner PARTNER --role ROLE

Registers a person. Their personal certificate (\`schakel pki issue --person NAME --partner PARTNER
--role ROLE --id ID --out DIR\`) must carry the same id (UID), partner (OU) and role (title).
Roles: ${PERSON_ROLES.join(', ')}; behandelaar only at a ggz partner, analist only at the aivd.
The registration is recorded in the audit log. With the embedded database, stop \`schakel serve\` first.`,
  async run(args) {
    const { values: v } = parseArgs({
      args: [...args],
      options: {
        id: { type: 'string' },
        name: { type: 'string' },
        partner: { type: 'string' },
        role: { type: 'string' },
      },
      strict: true,
    });
    if (v.id === undefined || v.name === undefined || v.partner === undefined || v.role === undefined) {
      throw new UsageError('--id, --name, --partner and --role are required');
    }
    const person = await withRegistry((registry) =>
      registry.addPerson({ id: v.id!, name: v.name!, partnerId: v.partner!, role: v.role! }),
    );
    console.log(`registered ${person.id} (${person.role} at ${person.partnerId})`);
    return EXIT_OK;
  },
};

export const peopleListCommand: Command = {
  path: ['people', 'list'],
  summary: 'list registered people',
  help: `Usage: schakel people list [--json]

Lists the people registered to sign in to the pages: id, role, partner and name.`,
  async run(args) {
    const { values } = parseArgs({ args: [...args], options: { json: { type: 'boolean' } }, strict: true });
    const people = await withRegistry((registry) => registry.listPeople());
    if (values.json === true) console.log(JSON.stringify(people, null, 2));
    else
      for (const p of people)
        console.log(`${p.id.padEnd(24)} ${p.role.padEnd(16)} ${p.partnerId.padEnd(22)} ${p.name}`);
    return EXIT_OK;
  },
};
