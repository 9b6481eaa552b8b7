import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { apiDocument, OPENAPI_DOC_PATH } from '../../../functions/api/openapi.ts';

describe(OPENAPI_DOC_PATH, () => {
  it('is the document the service serves (regenerate with npm run docs:openapi)', async () => {
    const committed = await readFile(new URL(`../../../${OPENAPI_DOC_PATH}`, import.meta.url), 'utf8');
    expect(JSON.parse(committed)).toEqual(JSON.parse(JSON.stringify(apiDocument())));
  });
});
