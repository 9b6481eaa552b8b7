import * as z from './zod.ts';
import { Instant, LocalDate } from './dates.ts';
import {
  BriberyDetails,
  FactId,
  FineDetails,
  MajorInfractionDetails,
  ObstructionDetails,
  TaxAssessmentDetails,
} from './facts.ts';

/**
 * The current view of one fact (its details, when it was paid, whether it was voided) as a schema:
 * its type is what `foldFacts` (facts.ts) returns, and the fold's tests check its output against
 * it. Apart from facts.ts because no function parses a fact view at run time: the bundles that fold
 * stored facts need only the type, and esbuild cannot drop an unused schema built at import.
 */

const FactBookkeeping = /* @__PURE__ */ z.schema(() => ({
  id: FactId,
  recordedAt: Instant,
  policyId: z.string(),
  paidOn: z.optional(LocalDate),
  /** When the payment was recorded (absent: known since the fact was); what was known when matters for notices. */
  paymentRecordedAt: z.optional(Instant),
  voided: z.optional(z.object({ reason: z.string(), recordedAt: Instant, replacedBy: z.optional(FactId) })),
}));

export const Fact = /* @__PURE__ */ z.schema(() =>
  z.discriminatedUnion('type', [
    z.extend(FineDetails, FactBookkeeping),
    z.extend(TaxAssessmentDetails, FactBookkeeping),
    z.extend(BriberyDetails, FactBookkeeping),
    z.extend(ObstructionDetails, FactBookkeeping),
    z.extend(MajorInfractionDetails, FactBookkeeping),
  ]),
);
export type Fact = z.infer<typeof Fact>;
