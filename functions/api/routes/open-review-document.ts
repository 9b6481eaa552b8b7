import { route } from '../../http/route.ts';
import { DOCUMENT_LINK_EXPIRES_SECONDS } from '../../ports/evidence-store.ts';
import { ReviewDocumentPathParams } from '../schemas/common.ts';

/** `GET /review/{linkId}/documents/{evidenceId}`. */
export const openReviewDocumentRoute = route('openReviewDocument', {
  method: 'GET',
  path: '/review/{linkId}/documents/{evidenceId}',
  module: 'functions/api/review-documents.ts',
  auth: 'public',
  tag: 'review',
  summary: 'Open one document of the review, as it was verified at submission',
  description:
    'While the link can still decide: 302 to a presigned GET of the frozen document, valid ' +
    `${DOCUMENT_LINK_EXPIRES_SECONDS / 60} minutes, answered inline with the verified content type. ` +
    'The link id is in no URL it redirects to.',
  pages: true,
  request: { params: ReviewDocumentPathParams },
  responses: {
    302: { description: 'redirect to the document (Location: its presigned GET)' },
    404: { description: 'no such link, or no such document in the review', mediaType: 'text/html' },
    410: {
      description: 'the link was used, expired, superseded, or its application withdrawn or decided',
      mediaType: 'text/html',
    },
  },
});
