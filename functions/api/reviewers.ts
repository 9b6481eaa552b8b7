import { nowIso } from '../lib/clock.ts';
import { listReviewers as listDirectory, putReviewer as setReviewer } from '../lib/directory/reviewers.ts';
import { httpHandler } from '../lib/http/handler.ts';
import { json } from '../lib/http/response.ts';
import { storeFromEnv } from '../lib/store/index.ts';
import { PutReviewerBody, ReviewerPathParams } from './schemas.ts';

/** The reviewer directory routes (officers only). */

export const putReviewer = httpHandler({
  auth: 'required',
  roles: ['officer'],
  params: ReviewerPathParams,
  body: PutReviewerBody,
  handle: async ({ params, body }) =>
    json(200, await setReviewer(storeFromEnv(), params.party, body, nowIso())),
});

export const listReviewers = httpHandler({
  auth: 'required',
  roles: ['officer'],
  handle: async () => json(200, { items: await listDirectory(storeFromEnv()) }),
});
