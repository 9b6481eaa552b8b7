/** The review pages' labels are the shared ones (functions/lib/labels.ts), so pages and emails agree. */
export { DECISION_NAMES, DOCUMENT_NAMES, PARTY_NAMES, tierName, type Bilingual } from '../labels.ts';
