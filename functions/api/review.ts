import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { array, record, string, union } from 'zod';
import {
  decideReview as decide,
  reviewPageModel,
  type GoneReason as LinkGoneReason,
  type RecordedLinkDecision,
  type ReviewPageModel as LinkPageModel,
} from '../usecases/reviews/review.ts';
import { now } from '../composition/clock.ts';
import { httpHandler } from '../http/handler.ts';
import { ProblemError } from '../http/problem.ts';
import { html, type HtmlResult } from '../http/response.ts';
import { setApplicationCorrelation } from '../observability/logger.ts';
import { store as storePort } from '../composition/store.ts';
import {
  renderAlreadyUsedPage,
  renderDecisionRecordedPage,
  renderGonePage,
  renderInvalidFormPage,
  renderNotFoundPage,
  renderStaleFormPage,
  type GoneReason,
  type RecordedDecision,
} from '../pages/review/results.ts';
import {
  renderConfirmationPage,
  type FormEcho,
  type FormError,
  type ReviewPageModel,
} from '../pages/review/confirmation.ts';
import { LinkId, ReviewDecisionForm } from './schemas.ts';

/**
 * The review link routes (DESIGN.md principle 6). Every answer is an HTML page for a person in a
 * browser, so link and form problems are pages too (404, 409, 410, 403, 400/422), never JSON.
 * GET reads and renders; only the POST of the form, with the link's nonce, decides.
 *
 * The link id is a secret: it is never logged, never put in a page, and only its hash is read.
 */

/** Why a link decides nothing, in the words the pages use: a closed round reads as superseded. */
const GONE_PAGE: Readonly<Record<LinkGoneReason, GoneReason>> = {
  EXPIRED: 'EXPIRED',
  WITHDRAWN: 'WITHDRAWN',
  CLOSED: 'CLOSED',
  ROUND_CLOSED: 'SUPERSEDED',
  SUPERSEDED: 'SUPERSEDED',
};

const COMMENT_REQUIRED_ERROR: FormError = {
  message: {
    zh: '驳回或要求补正时，请填写意见。未记录任何决定。',
    en: 'A comment is required to reject or to request changes. Nothing was recorded.',
  },
};

/** What the result pages show of a decision: as the link recorded it, never as the form said. */
const recordedOf = (decision: RecordedLinkDecision): RecordedDecision => ({
  applicationId: decision.applicationId,
  party: decision.party,
  decision: decision.decision,
  decidedAt: decision.decidedAt,
  ...(decision.comment === undefined ? {} : { comment: decision.comment }),
});

const notFound = (): HtmlResult => html(404, renderNotFoundPage());
const gone = (reason: LinkGoneReason): HtmlResult => html(410, renderGonePage(GONE_PAGE[reason]));

/** The link id from the path, or undefined when it cannot be one (answered like an unknown id). */
function linkIdOf(params: Readonly<Record<string, string | undefined>>): string | undefined {
  const parsed = LinkId.safeParse(params.linkId);
  return parsed.success ? parsed.data : undefined;
}

/** API Gateway maps HEAD onto GET routes; a HEAD must not even read the link. */
function refuseHead(event: APIGatewayProxyEventV2): void {
  if (event.requestContext.http.method.toUpperCase() === 'HEAD') {
    throw ProblemError.of('METHOD_NOT_ALLOWED', 'Open the review link in a browser (GET).', {
      headers: { allow: 'GET, POST' },
    });
  }
}

function confirmationModel(model: LinkPageModel, nonce: string): ReviewPageModel {
  return {
    party: model.party,
    reviewerName: model.reviewerName,
    round: model.round,
    expiresAt: model.expiresAt,
    application: {
      id: model.application.id,
      enterpriseId: model.application.enterpriseId,
      ...(model.application.enterpriseName === undefined
        ? {}
        : { enterpriseName: model.application.enterpriseName }),
      fromTier: model.application.fromTier,
      targetTier: model.application.targetTier,
      statement: model.application.statement,
      submittedAt: model.application.submittedAt,
    },
    documents: model.documents.map((doc) => ({
      documentType: doc.documentType,
      fileName: doc.fileName,
      contentType: doc.contentType,
      size: doc.size,
      isNew: doc.isNew,
    })),
    leadParty: model.context.leadParty,
    othersThisRound: model.context.othersThisRound,
    earlierRounds: model.context.earlierRounds,
    responses: model.context.responses,
    nonce,
  };
}

/** The page a link shows when it is opened, or opened again after a form error. */
function pageFor(
  model: LinkPageModel,
  form?: { status: number; echo: FormEcho; error: FormError },
): HtmlResult {
  switch (model.state.kind) {
    case 'OPEN': {
      const page = confirmationModel(model, model.state.nonce);
      if (form === undefined) return html(200, renderConfirmationPage(page));
      return html(form.status, renderConfirmationPage(page, { echo: form.echo, error: form.error }));
    }
    case 'DECIDED':
      return html(
        409,
        renderAlreadyUsedPage({
          party: model.party,
          decision: model.state.decision,
          decidedAt: model.state.decidedAt,
          applicationId: model.application.id,
          ...(model.state.comment === undefined ? {} : { comment: model.state.comment }),
        }),
      );
    case 'GONE':
      return gone(model.state.reason);
  }
}

// ---------------------------------------------------------------------------------------------
// GET /review/{linkId}

export const showReview = httpHandler({
  auth: 'public',
  handle: async ({ params, event }) => {
    refuseHead(event);
    const linkId = linkIdOf(params);
    if (linkId === undefined) return notFound();
    const model = await reviewPageModel(storePort(), linkId, now());
    if (model === undefined) return notFound();
    setApplicationCorrelation(model.application.id);
    return pageFor(model);
  },
});

// ---------------------------------------------------------------------------------------------
// POST /review/{linkId}

/**
 * What the body parser admits: any urlencoded fields. The form itself is checked below, so a
 * malformed one gets a page a person can read rather than a JSON problem.
 */
const AnyForm = record(string(), union([string(), array(string())]));

export const decideReview = httpHandler({
  auth: 'public',
  body: AnyForm,
  bodyKind: 'form',
  maxBodyBytes: 32 * 1024,
  handle: async ({ params, body }) => {
    const linkId = linkIdOf(params);
    if (linkId === undefined) return notFound();
    const parsed = ReviewDecisionForm.safeParse(body);
    if (!parsed.success) {
      return html(
        400,
        renderInvalidFormPage(
          parsed.error.issues.map(
            (issue) => `${issue.path.map(String).join('.') || 'form'}: ${issue.message}`,
          ),
        ),
      );
    }
    const form = parsed.data;
    const store = storePort();
    const at = now();
    const result = await decide(
      store,
      linkId,
      {
        decision: form.decision,
        nonce: form.nonce,
        ...(form.comment === undefined ? {} : { comment: form.comment }),
      },
      at,
    );
    if (result.kind === 'DECIDED' || result.kind === 'ALREADY_USED') {
      setApplicationCorrelation(result.applicationId);
    }
    switch (result.kind) {
      case 'DECIDED':
        return html(200, renderDecisionRecordedPage(recordedOf(result)));
      case 'ALREADY_USED':
        return html(409, renderAlreadyUsedPage(recordedOf(result)));
      case 'GONE':
        return gone(result.reason);
      case 'BAD_NONCE':
        return html(403, renderStaleFormPage());
      case 'NOT_FOUND':
        return notFound();
      case 'COMMENT_REQUIRED': {
        const model = await reviewPageModel(store, linkId, at);
        if (model === undefined) return notFound();
        return pageFor(model, {
          status: 422,
          echo: {
            decision: result.decision,
            ...(form.comment === undefined ? {} : { comment: form.comment }),
          },
          error: COMMENT_REQUIRED_ERROR,
        });
      }
    }
  },
});
