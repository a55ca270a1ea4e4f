// The policy change forms with codes that are names of Object.prototype (constructor, toString): a page, never a 500.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Identity } from '../../broker/identity/identity.ts';
import type { Store } from '../../broker/store/database.ts';
import { loadCatalogueText, titleOf } from '../../broker/ui/catalogue-text.ts';
import { categoryValues, legalBasisValues } from '../../broker/ui/policies/change-forms.ts';
import { policyPages } from '../../broker/ui/policies/policy-pages.ts';
import { parseMetadataYaml } from '../../broker/ui/policies/rego-metadata.ts';
import { createLifecycleFixture, type LifecycleFixture } from '../policy/lifecycle-fixture.ts';
import { BACKENDS, openTestStore } from '../support/databases.ts';
import { insertTestPartners } from '../support/demo-partners.ts';
import { pagesAs } from './in-process.ts';

const PROTOTYPE_NAMES = ['constructor', 'toString', '__proto__', 'hasOwnProperty'];

const OFFICER: Identity = {
  kind: 'person',
  partner: {
    id: 'demo-om',
    kind: 'om',
    identifierType: 'oin',
    identifier: '00000001003218839000',
    unit: '',
    organisation: 'Demo Openbaar Ministerie',
    national: false,
  },
  person: { id: 'po-om', name: 'Privacy officer OM', role: 'privacy_officer', partnerId: 'demo-om' },
  certificate: { serial: '01', issuer: 'CN=test', x5tS256: 'thumb', notAfter: new Date('2030-01-01') },
};

describe('the catalogue lookups of the pages', () => {
  const catalogue = loadCatalogueText();

  it('finds no category, legal basis or title under a name of Object.prototype', () => {
    for (const code of PROTOTYPE_NAMES) {
      expect(categoryValues(catalogue, code)).toEqual({});
      expect(legalBasisValues(catalogue, code)).toEqual({});
      expect(titleOf(catalogue.categories, code, 'nl')).toBe(code);
    }
    expect(categoryValues(catalogue, 'ggz.bekend')).toMatchObject({ category: 'ggz.bekend' });
  });

  it('reads a METADATA key named __proto__ as a key, not as a prototype', () => {
    const yaml = parseMetadataYaml(['__proto__:', '  title: Niet de titel', 'description: Wel']);
    expect(Object.hasOwn(yaml, 'title')).toBe(false);
    expect((yaml as Record<string, unknown>).title).toBeUndefined();
    expect(yaml.description).toBe('Wel');
  });
});

describe.each(BACKENDS)('the policy change forms with prototype names on %s', (backend) => {
  let store: Store;
  let f: LifecycleFixture;

  beforeAll(async () => {
    store = await openTestStore(backend);
    await insertTestPartners(store.db);
    f = await createLifecycleFixture(store, { opa: false });
  });
  afterAll(async () => {
    await store?.close();
  });

  const app = () => pagesAs(OFFICER, policyPages({ lifecycle: f.lifecycle }));

  it('shows the change page for ?category= and ?basis= naming Object.prototype', async () => {
    for (const code of PROTOTYPE_NAMES) {
      for (const query of [`category=${code}`, `basis=${code}`]) {
        const res = await app().request(`https://broker.test/ui/policies/new?${query}`);
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      }
    }
  });

  it('shows the form again with its problems when a failed post names Object.prototype', async () => {
    const broker = app();
    const page = await broker.request('https://broker.test/ui/policies/new');
    const cookie = page.headers.get('set-cookie')!.split(';')[0]!;
    const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
    for (const [form, field] of [
      ['category', 'category'],
      ['legal-basis', 'code'],
    ] as const) {
      const res = await broker.request(`https://broker.test/ui/policies/new/${form}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          origin: 'https://broker.test',
          'sec-fetch-site': 'same-origin',
          cookie,
        },
        // No description: the form is refused before anything is proposed.
        body: new URLSearchParams({ _csrf: token, [field]: 'constructor', fields: 'a' }).toString(),
      });
      expect(res.status).toBe(422);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    }
  });
});
