/**
 * The review link pages (DESIGN.md principle 6): the confirmation form and every answer a link
 * gives. Pure rendering: models in, HTML documents out; the handler picks the status.
 */
export {
  COMMENT_MAX_LENGTH,
  COMMENT_REQUIRED_FOR,
  formatBytes,
  renderConfirmationPage,
  type FormEcho,
  type FormError,
  type ReviewDocument,
  type ReviewPageModel,
} from './confirmation.ts';
export {
  GONE_REASONS,
  renderAlreadyUsedPage,
  renderDecisionRecordedPage,
  renderGonePage,
  renderInvalidFormPage,
  renderNotFoundPage,
  renderStaleFormPage,
  type GoneReason,
  type RecordedDecision,
} from './results.ts';
export { DECISION_NAMES, DOCUMENT_NAMES, PARTY_NAMES, tierName, type Bilingual } from './labels.ts';
