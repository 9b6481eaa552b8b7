import { clock } from '../composition/clock.ts';
import { store } from '../composition/store.ts';
import { httpHandler } from '../http/handler.ts';
import { json } from '../http/response.ts';
import {
  listReviewers as listDirectory,
  putReviewer as setReviewer,
} from '../usecases/directory/reviewers.ts';
import { PutReviewerBody, ReviewerPathParams } from './schemas.ts';

/** The reviewer directory routes (officers only). */

export const putReviewer = httpHandler({
  auth: 'required',
  roles: ['officer'],
  params: ReviewerPathParams,
  body: PutReviewerBody,
  handle: async ({ params, body }) =>
    json(200, await setReviewer(store(), params.party, body, clock().now().toISOString())),
});

export const listReviewers = httpHandler({
  auth: 'required',
  roles: ['officer'],
  handle: async () => json(200, { items: await listDirectory(store()) }),
});
