/**
 * The HTTP shapes of every route (CONTRACT.md): what a request may carry and what a response
 * holds. Handlers parse with the request schemas (through `httpHandler`) and build responses that
 * satisfy the response schemas; the route table names both, and the OpenAPI document is generated
 * from them. Domain types stay in `domain/`; these are their projections on the wire.
 *
 * One module per resource under schemas/, which each route's entry imports directly (a barrel
 * would put every schema in every handler's bundle); this module gathers them for the rest.
 *
 * Money on the wire is yuan (a number, or a decimal string in requests) with at most two decimals;
 * requests are parsed to integer fen (`YuanAmount`), responses give yuan as a number.
 */

export * from './schemas/common.ts';
export * from './schemas/service.ts';
export * from './schemas/enterprise-requests.ts';
export * from './schemas/enterprises.ts';
export * from './schemas/facts.ts';
export * from './schemas/reviewer-requests.ts';
export * from './schemas/reviewers.ts';
export * from './schemas/application-requests.ts';
export * from './schemas/applications.ts';
export * from './schemas/workflow.ts';
export * from './schemas/review.ts';
export * from './schemas/public-credit.ts';
