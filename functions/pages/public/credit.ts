import type { Listing } from '../../../domain/classification.ts';
import type { LocalDate } from '../../../domain/dates.ts';
import { tierName, type Bilingual } from '../../../domain/labels.ts';
import type { Tier } from '../../../domain/tiers.ts';
import { bilingual, el, join, page, paragraph, type Markup } from '../review/layout.ts';

/**
 * The public credit lookup as a page (GET /public/credit/{enterpriseId} asked for text/html): what
 * anyone may know of an enterprise's credit status, the same fields as the JSON view (name,
 * customs code, tier, listing dates) and nothing else, in Chinese and English.
 */

export interface PublicCreditPage {
  readonly enterpriseId: string;
  readonly name: string;
  readonly tier: Tier;
  readonly listing: Listing | null;
  /** The day the status is as of (today in the rules' time zone). */
  readonly asOf: LocalDate;
}

const TEXTS = {
  title: { zh: '企业信用状况查询', en: 'Enterprise credit status' },
  name: { zh: '企业名称', en: 'Enterprise' },
  enterpriseId: { zh: '海关注册编码', en: 'Customs code' },
  tier: { zh: '信用等级', en: 'Credit tier' },
  listing: { zh: '失信名单公示', en: 'Dishonest listing' },
  listedSince: { zh: '列入日期', en: 'Listed since' },
  listedUntil: { zh: '公示期至', en: 'Listed until' },
  notListed: { zh: '未列入失信名单', en: 'Not listed' },
  asOf: (date: string): Bilingual => ({ zh: `截至 ${date}`, en: `As of ${date}` }),
  notFoundTitle: { zh: '未找到该企业', en: 'Enterprise not found' },
  notFound: (id: string): Bilingual => ({
    zh: `没有海关注册编码为 ${id} 的企业。请检查编码是否正确。`,
    en: `No enterprise has the customs code ${id}. Check that the code is correct.`,
  }),
} satisfies Record<string, Bilingual | ((...args: never[]) => Bilingual)>;

const row = (label: Bilingual, value: Markup | string): Markup =>
  join([el('dt', {}, bilingual(label)), el('dd', {}, value)]);

export function renderPublicCreditPage(status: PublicCreditPage): string {
  const listing = status.listing;
  return page({
    title: TEXTS.title,
    body: join([
      el(
        'dl',
        {},
        row(TEXTS.name, status.name),
        row(TEXTS.enterpriseId, status.enterpriseId),
        row(TEXTS.tier, el('strong', {}, bilingual(tierName(status.tier)))),
        ...(listing === null
          ? [row(TEXTS.listing, bilingual(TEXTS.notListed))]
          : [row(TEXTS.listedSince, listing.since), row(TEXTS.listedUntil, listing.until)]),
      ),
      el('p', { class: 'muted' }, bilingual(TEXTS.asOf(status.asOf))),
    ]),
  });
}

/** 404 for a browser: no enterprise has this (well-formed) customs code. */
export const renderPublicCreditNotFoundPage = (enterpriseId: string): string =>
  page({
    title: TEXTS.notFoundTitle,
    body: el('div', { class: 'notice error', role: 'alert' }, paragraph(TEXTS.notFound(enterpriseId))),
  });
