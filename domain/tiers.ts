import * as z from './zod.ts';

/** Credit tiers, best first. The order matters: "worst tier" comparisons use it. */
export const TIERS = [
  'ADVANCED_CERTIFIED',
  'CERTIFIED',
  'REGULAR',
  'DISHONEST',
  'SERIOUSLY_DISHONEST',
] as const;
export const Tier = /* @__PURE__ */ z.schema(() => z.enum(TIERS));
export type Tier = z.infer<typeof Tier>;

export interface TierInfo {
  readonly chinese: string;
  readonly label: string;
  readonly aeo: boolean;
}

export const TIER_INFO: Readonly<Record<Tier, TierInfo>> = {
  ADVANCED_CERTIFIED: { chinese: '高级认证企业', label: 'Trusted Entity', aeo: true },
  CERTIFIED: { chinese: '认证企业', label: 'Positive Listing', aeo: true },
  REGULAR: { chinese: '常规企业', label: 'Neutral Listing', aeo: false },
  DISHONEST: { chinese: '失信企业', label: 'Dishonest Listing', aeo: false },
  SERIOUSLY_DISHONEST: { chinese: '严重失信企业', label: 'Seriously Dishonest Listing', aeo: false },
};

export const DOWNGRADED_TIERS: readonly Tier[] = ['DISHONEST', 'SERIOUSLY_DISHONEST'];
export const CERTIFIED_TIERS: readonly Tier[] = ['ADVANCED_CERTIFIED', 'CERTIFIED'];

export const isCertified = (tier: Tier): boolean => CERTIFIED_TIERS.includes(tier);

/** The worse (lower) of two tiers. */
export const worseTier = (a: Tier, b: Tier): Tier => (TIERS.indexOf(a) >= TIERS.indexOf(b) ? a : b);

/** An enterprise id is its 10-character customs registration code. */
export const EnterpriseId = /* @__PURE__ */ z.schema(() =>
  z.string().check(z.regex(/^[0-9A-Z]{10}$/, 'a 10-character customs code (0-9, A-Z)')),
);
export type EnterpriseId = z.infer<typeof EnterpriseId>;
