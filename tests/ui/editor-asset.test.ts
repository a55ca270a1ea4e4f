// The committed Rego editor asset is the build of broker/ui/editor/ (CodeMirror 6 with codemirror-rego), not a stale one.
import { describe, expect, it } from 'vitest';
import { buildEditorAsset, committedEditorAsset } from '../../broker/ui/editor/build-editor.ts';

describe('the Rego editor asset', () => {
  it('is what broker/ui/editor/ builds today (else: npm run build:editor)', async () => {
    const built = await buildEditorAsset();
    expect(built.length).toBeGreaterThan(10_000);
    expect(
      built === committedEditorAsset(),
      'broker/ui/editor/dist/rego-editor.js is stale: npm run build:editor',
    ).toBe(true);
  }, 60_000);

  it('carries the Rego mode and no CodeMirror 5', () => {
    const built = committedEditorAsset();
    // The mode's keywords and the CM6 StreamLanguage are in; CM5's editor class is not.
    expect(built).toContain('as|default|else|import|not|with|some|in|every|if|contains');
    expect(built).toContain('rego');
    expect(built).not.toContain('CodeMirror-lines');
  });
});
