// A request path as the logs get it: a BSN in it is masked, other digits are left alone.
import { describe, expect, it } from 'vitest';
import { loggablePath } from '../../broker/http/loggable-path.ts';

describe('loggablePath', () => {
  it('masks every nine-digit run that passes the elfproef', () => {
    expect(loggablePath('/v1/cases/111222333')).toBe('/v1/cases/[bsn]');
    expect(loggablePath('/v1/x/111222333/y/123456782')).toBe('/v1/x/[bsn]/y/[bsn]');
  });

  it('masks a percent-encoded BSN, which routing decodes, also in a path that is otherwise malformed', () => {
    expect(loggablePath('/v1/cases/%31%31%31222333')).toBe('/v1/cases/[bsn]');
    expect(loggablePath('/v1/cases/%31%31%31222333/%E0%A4%A')).toBe('/v1/cases/[bsn]/%E0%A4%A');
    // Other encoded paths are logged as they came.
    expect(loggablePath('/v1/cases/a%20b')).toBe('/v1/cases/a%20b');
  });

  it('leaves nine digits that fail the elfproef, longer runs and ordinary paths as they are', () => {
    expect(loggablePath('/v1/audit/proof/123456789')).toBe('/v1/audit/proof/123456789');
    expect(loggablePath('/v1/audit/proof/1112223330')).toBe('/v1/audit/proof/1112223330');
    expect(loggablePath('/v1/whoami')).toBe('/v1/whoami');
  });
});
