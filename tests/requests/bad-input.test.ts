// Bad input at the edge: every malformed request gets a 4xx problem+json naming the field, and nothing is logged.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_BSN } from '../../adapters/reference/demo-data.ts';
import { BACKENDS } from '../support/databases.ts';
import { asPartner } from '../support/test-caller.ts';
import { createHarness, type Harness } from './harness.ts';

const regisseur = asPartner('demo-politie', 'casusregisseur');
const behandelaar = asPartner('demo-ggz', 'behandelaar');
const UNKNOWN_CASE = '0b6f7c1e-5d0a-4c0e-9a43-1f2b3c4d5e6f';

interface Problem {
  code: string;
  status: number;
  errors?: { field: string; message: string }[];
}

describe.each(BACKENDS)('bad input on %s', (backend) => {
  let h: Harness;
  let caseId = '';
  const valid = () => ({
    caseId,
    subject: { bsn: DEMO_BSN },
    purpose: 'risicotaxatie',
    categories: ['om.strafzaken'],
  });

  beforeAll(async () => {
    h = await createHarness(backend);
    caseId = await h.includedCase();
  });
  afterAll(async () => {
    await h?.close();
  });

  /** Sends a request and checks it is refused as problem+json, without a single log entry for a request item. */
  async function refused(
    body: unknown,
    options: { url?: string; caller?: typeof regisseur; raw?: string; type?: string } = {},
  ): Promise<Problem & { httpStatus: number }> {
    const before = h.audit.records.filter((r) => r.type === 'request.item').length;
    const res = await h.app.request(options.url ?? '/v1/requests', {
      method: 'POST',
      headers: {
        'x-test-caller': JSON.stringify(options.caller ?? regisseur),
        'content-type': options.type ?? 'application/json',
      },
      body: options.raw ?? JSON.stringify(body),
    });
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(h.audit.records.filter((r) => r.type === 'request.item').length).toBe(before);
    return { ...((await res.json()) as Problem), httpStatus: res.status };
  }

  const fields = (p: Problem) => (p.errors ?? []).map((e) => e.field);

  it('accepts the valid request the cases below break', async () => {
    expect((await h.call(regisseur, 'POST', '/v1/requests', valid())).status).toBe(200);
  });

  it.each([
    ['fails the elfproef', '123456789'],
    ['is too short', '11122233'],
    ['has letters', '11122233x'],
    ['is a number, not a string', 111222333],
  ])('refuses a BSN that %s with 422 naming subject.bsn', async (_, bsn) => {
    const p = await refused({ ...valid(), subject: { bsn } });
    expect(p).toMatchObject({ httpStatus: 422, code: 'ERR_VALIDATION' });
    expect(fields(p)).toEqual(['subject.bsn']);
  });

  it('refuses an unknown category with 422 naming categories', async () => {
    const p = await refused({ ...valid(), categories: ['om.strafzaken', 'ggz.dossier'] });
    expect(p).toMatchObject({ httpStatus: 422, code: 'ERR_VALIDATION' });
    expect(fields(p)).toEqual(['categories']);
    expect(p.errors![0]!.message).toContain('ggz.dossier');
  });

  it.each([
    ['no categories', []],
    ['a category that is not a string', [42]],
    ['categories as a string', 'om.strafzaken'],
  ])('refuses %s with 422 naming categories', async (_, categories) => {
    const p = await refused({ ...valid(), categories });
    expect(p.httpStatus).toBe(422);
    expect(fields(p).every((f) => f.startsWith('categories'))).toBe(true);
    expect(fields(p).length).toBeGreaterThan(0);
  });

  it('refuses an unknown purpose with 422 naming purpose', async () => {
    const p = await refused({ ...valid(), purpose: 'nieuwsgierigheid' });
    expect(p).toMatchObject({ httpStatus: 422, code: 'ERR_VALIDATION' });
    expect(fields(p)).toEqual(['purpose']);
  });

  it('refuses a holder that does not hold the categories with 422 naming holders', async () => {
    const p = await refused({ ...valid(), holders: ['demo-ggz'] });
    expect(p).toMatchObject({ httpStatus: 422 });
    expect(fields(p)).toEqual(['holders']);
  });

  it('refuses a request without a case (other than break-glass) with 422 naming caseId', async () => {
    const { caseId: _, ...rest } = valid();
    const p = await refused(rest);
    expect(p).toMatchObject({ httpStatus: 422, code: 'ERR_VALIDATION' });
    expect(fields(p)).toEqual(['caseId']);
  });

  it('refuses a case id that is not a UUID with 422 naming caseId', async () => {
    const p = await refused({ ...valid(), caseId: "1' or '1'='1" });
    expect(p.httpStatus).toBe(422);
    expect(fields(p)).toEqual(['caseId']);
  });

  it('answers 404 for a case that does not exist, as for one the caller is not a member of', async () => {
    const missing = await refused({ ...valid(), caseId: UNKNOWN_CASE });
    const foreign = await refused(valid(), { caller: asPartner('demo-kmar', 'analist') });
    expect(missing).toMatchObject({ httpStatus: 404 });
    expect(foreign).toMatchObject({ httpStatus: 404, code: missing.code });
  });

  it('refuses unknown fields with 422 naming each of them', async () => {
    const p = await refused({ ...valid(), reden: 'x', subject: { bsn: DEMO_BSN, naam: 'Jan' } });
    expect(p).toMatchObject({ httpStatus: 422, code: 'ERR_VALIDATION' });
    expect(fields(p).sort()).toEqual(['reden', 'subject.naam']);
  });

  it('refuses a break-glass request without a justification with 422 naming justification', async () => {
    const p = await refused(
      { subject: { bsn: DEMO_BSN }, purpose: 'acuut_gevaar', categories: ['politie.wapenvergunning'] },
      { caller: asPartner('demo-om', 'officier') },
    );
    expect(p).toMatchObject({ httpStatus: 422 });
    expect(fields(p)).toEqual(['justification']);
  });

  it('refuses a body that is not JSON with 400 ERR_MALFORMED_JSON', async () => {
    const p = await refused(undefined, { raw: '{"caseId": "' });
    expect(p).toMatchObject({ httpStatus: 400, code: 'ERR_MALFORMED_JSON' });
  });

  it.each([
    ['an array', '[]'],
    ['null', 'null'],
    ['a string', '"risicotaxatie"'],
  ])('refuses a JSON body that is %s with 422 naming the body', async (_, raw) => {
    const p = await refused(undefined, { raw });
    expect(p).toMatchObject({ httpStatus: 422, code: 'ERR_VALIDATION' });
    expect(fields(p)).toEqual(['(body)']);
  });

  it('refuses a body that is not application/json with 415', async () => {
    const p = await refused(valid(), { type: 'text/plain' });
    expect(p).toMatchObject({ httpStatus: 415, code: 'ERR_UNSUPPORTED_MEDIA_TYPE' });
  });

  it('refuses an oversized body with 413 before reading it', async () => {
    const p = await refused({ ...valid(), justification: 'x'.repeat(100_000) });
    expect(p).toMatchObject({ httpStatus: 413, code: 'ERR_BODY_TOO_LARGE' });
  });

  it('refuses an over-long justification with 422 naming justification', async () => {
    const p = await refused({ ...valid(), justification: 'x'.repeat(2001) });
    expect(p).toMatchObject({ httpStatus: 422 });
    expect(fields(p)).toEqual(['justification']);
  });

  it('answers 404 to a request id that is not a UUID', async () => {
    const res = await h.call(regisseur, 'GET', '/v1/requests/..%2F..%2Fetc');
    expect(res).toMatchObject({ status: 404, body: { code: 'ERR_NOT_FOUND' } });
  });

  it('refuses a review decision that is not release or refuse, and unknown considerations', async () => {
    const res = await h.call(behandelaar, 'POST', `/v1/reviews/${UNKNOWN_CASE}/decision`, {
      decision: 'misschien',
      considerations: { toestemming: 'te_gevaarlijk', moed: true },
    });
    expect(res.status).toBe(422);
    expect(res.type).toMatch(/^application\/problem\+json/);
    const named = ((res.body as unknown as Problem).errors ?? []).map((e) => e.field);
    expect(named).toEqual(expect.arrayContaining(['decision', 'considerations.moed']));
  });

  it('refuses a consent with an invalid BSN, an unknown purpose or an unknown category, naming the field', async () => {
    const consent = {
      subject: { bsn: DEMO_BSN },
      grantedBy: 'betrokkene',
      evidence: 'formulier',
      recipients: ['politie'],
      purposes: ['risicotaxatie'],
      categories: ['ggz.bekend'],
      validFrom: '2026-01-01T00:00:00Z',
      validUntil: '2027-01-01T00:00:00Z',
    };
    const cases: [Record<string, unknown>, string][] = [
      [{ subject: { bsn: '123456789' } }, 'subject.bsn'],
      [{ purposes: ['nieuwsgierigheid'] }, 'purposes'],
      [{ categories: ['ggz.dossier'] }, 'categories'],
      [{ validFrom: 'gisteren' }, 'validFrom'],
      [{ extra: true }, 'extra'],
    ];
    for (const [change, field] of cases) {
      const res = await h.call(behandelaar, 'POST', '/v1/consents', { ...consent, ...change });
      const named = ((res.body as unknown as Problem).errors ?? []).map((e) => e.field);
      expect({ change, status: res.status, named }).toEqual({
        change,
        status: 422,
        named: expect.arrayContaining([field]),
      });
    }
  });
});
