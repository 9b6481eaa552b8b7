/** Regenerates docs/openapi.json from the route table and its schemas (npm run docs:openapi). */
import { writeFile } from 'node:fs/promises';
import { apiDocument, OPENAPI_DOC_PATH } from '../functions/api/openapi.ts';

const target = new URL(`../${OPENAPI_DOC_PATH}`, import.meta.url);
await writeFile(target, `${JSON.stringify(apiDocument(), null, 2)}\n`);
console.log(`wrote ${OPENAPI_DOC_PATH}`);
