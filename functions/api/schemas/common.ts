import {
  described,
  coerce,
  int,
  maximum,
  maxLength,
  minimum,
  minLength,
  nonnegative,
  number,
  nullable,
  object,
  pipe,
  regex,
  string,
  trim,
  schema,
} from '../../../domain/zod.ts';
import { LocalDate } from '../../../domain/dates.ts';
import { EnterpriseId } from '../../../domain/tiers.ts';
import { Party } from '../../../domain/vocabulary.ts';

/** Identifiers, scalars and path parameters the resources share. */
/** Opaque ids minted by the service (applications, facts, evidence): URL-safe, bounded. */
export const OpaqueId = /* @__PURE__ */ schema(() =>
  string().check(regex(/^[A-Za-z0-9_-]{1,100}$/, 'an id of letters, digits, _ or -')),
);

/** A review link id: ≥128 random bits in base64url or hex; anything else cannot be one. */
export const LinkId = /* @__PURE__ */ schema(() =>
  string().check(regex(/^[A-Za-z0-9_-]{16,200}$/, 'a review link id')),
);

export const Text = (max: number) =>
  string().check(trim(), minLength(1, 'must not be empty'), maxLength(max));

export const YuanOut = /* @__PURE__ */ schema(() =>
  described(number().check(nonnegative()), 'yuan, at most two decimals'),
);

export const EnterprisePathParams = /* @__PURE__ */ schema(() => object({ id: EnterpriseId }));

export const FactPathParams = /* @__PURE__ */ schema(() => object({ id: EnterpriseId, factId: OpaqueId }));

export const ReviewerPathParams = /* @__PURE__ */ schema(() => object({ party: Party }));

export const ReviewerChangePathParams = /* @__PURE__ */ schema(() =>
  object({ party: Party, changeId: OpaqueId }),
);

export const ApplicationPathParams = /* @__PURE__ */ schema(() => object({ id: OpaqueId }));

export const ReviewLinkPathParams = /* @__PURE__ */ schema(() => object({ linkId: LinkId }));

export const ReviewDocumentPathParams = /* @__PURE__ */ schema(() =>
  object({ linkId: LinkId, evidenceId: OpaqueId }),
);

export const PublicCreditPathParams = /* @__PURE__ */ schema(() => object({ enterpriseId: EnterpriseId }));

/** A page size in a query string (text, read as a number). */
export const PageSize = /* @__PURE__ */ schema(() =>
  pipe(coerce.number(), int().check(minimum(1), maximum(100))),
);

/** The token of the next page, as a previous page answered it. */
export const NextToken = /* @__PURE__ */ schema(() => string().check(minLength(1), maxLength(2048)));

export const Listing = /* @__PURE__ */ schema(() =>
  object({ label: string(), since: LocalDate, until: nullable(LocalDate) }),
);
