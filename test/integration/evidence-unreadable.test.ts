import { readdir, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATA_LAYOUT, LOCAL_EVIDENCE_BUCKET } from '../../local/runtime.ts';
import { startEmbeddedRuntime, type EmbeddedRuntime } from '../support/embedded-runtime.ts';
import { expectProblem } from '../support/http-client.ts';
import { callAs, ReviewFlow, uploadDocuments } from '../support/review-flow.ts';

/**
 * Issue 13, D9: an upload storage cannot read (here its metadata file left empty, as a SIGKILL in
 * the middle of writing it left it before the local S3 wrote atomically) is an unusable upload, not
 * a server error: submit answers 422 MISSING_DOCUMENTS naming it UNREADABLE, an older readable
 * upload of the document still serves, and uploading the document again lets the submit through.
 */

let embedded: EmbeddedRuntime;
let flow: ReviewFlow;

beforeAll(async () => {
  embedded = await startEmbeddedRuntime('evidence-unreadable');
  flow = new ReviewFlow(embedded.runtime, { prefix: 'UNRD' });
}, 60_000);

afterAll(async () => {
  await embedded?.stop();
});

/** Empties the metadata file of the newest upload of `fileName` in an application. */
async function damageNewestUpload(applicationId: string, fileName: string): Promise<void> {
  const dir = join(
    embedded.runtime.dataDir,
    DATA_LAYOUT.s3,
    LOCAL_EVIDENCE_BUCKET,
    'applications',
    applicationId,
  );
  const uploads: string[] = [];
  for (const evidenceId of await readdir(dir)) {
    if ((await readdir(join(dir, evidenceId))).some((name) => name.startsWith(fileName)))
      uploads.push(evidenceId);
  }
  const newest = uploads.sort().at(-1);
  if (newest === undefined) throw new Error(`no upload of ${fileName}`);
  await truncate(join(dir, newest, `${fileName}._S3rver_metadata.json`), 0);
}

const submit = (id: string, token: string) =>
  callAs({ baseUrl: embedded.runtime.url, token }, 'POST', `/applications/${id}/evidence/submit`);

describe('an upload storage cannot read', () => {
  it('is reported as UNREADABLE, not a 5xx, until the document is uploaded again', async () => {
    const { id, token } = await flow.applicationWithDocuments();
    await damageNewestUpload(id, 'tax_paid_proof.pdf');

    const refused = await submit(id, token);
    expectProblem(refused, 422, 'MISSING_DOCUMENTS');
    expect(refused.body.missing).toEqual([{ documentType: 'TAX_PAID_PROOF', problem: 'UNREADABLE' }]);
    // Asking again answers the same (no 5xx "forever", no state change).
    expectProblem(await submit(id, token), 422, 'MISSING_DOCUMENTS');
    expect((await flow.application(id)).status).toBe('AWAITING_EVIDENCE');

    await uploadDocuments({ baseUrl: embedded.runtime.url, token }, id, ['TAX_PAID_PROOF']);
    const submitted = await submit(id, token);
    expect(submitted.status, submitted.text).toBe(202);
  });

  it('leaves an older readable upload of the document to serve', async () => {
    const { id, token } = await flow.applicationWithDocuments();
    await uploadDocuments({ baseUrl: embedded.runtime.url, token }, id, ['COMMITMENT_LETTER']);
    await damageNewestUpload(id, 'commitment_letter.pdf');
    const submitted = await submit(id, token);
    expect(submitted.status, submitted.text).toBe(202);
  });
});
