import type { LocalDate } from '../../../domain/dates.ts';
import { formatYuan } from '../../../domain/money.ts';
import type { Tier } from '../../../domain/tiers.ts';
import type { CauseCode, FactType } from '../../../domain/vocabulary.ts';
import { CAUSE_NAMES, FACT_TYPE_NAMES, tierName, type Bilingual } from '../../../domain/labels.ts';
import { bilingual, el, join, text, type Markup } from './layout.ts';

/**
 * The case a reviewer decides on, beside the application: the causes the application covers, each
 * with its determination date and the policy it was judged under, the facts each cause owns, and
 * the rectification clock. Every date and period here comes from the domain's classification; the
 * page only lays them out.
 */

export interface CaseFact {
  readonly id: string;
  readonly type: FactType;
  readonly amountFen?: number;
  readonly imposedOn?: LocalDate;
  readonly dueOn?: LocalDate;
  readonly occurredOn?: LocalDate;
  readonly paidOn?: LocalDate;
}

export interface CaseCause {
  readonly code: CauseCode;
  readonly tier: Tier;
  readonly determinedOn: LocalDate;
  readonly policyId: string;
  readonly minimumMonths: number;
  readonly listingUntil: LocalDate;
  readonly rectifiedOn?: LocalDate;
  readonly facts: readonly CaseFact[];
}

export interface ReviewCase {
  /** The day the case is classified as of (today in the rules' time zone). */
  readonly asOf: LocalDate;
  readonly causes: readonly CaseCause[];
  /** When the rectification clock started: the day the last obligation was met (null: still outstanding). */
  readonly clockStart: LocalDate | null;
  readonly earliestApplicationOn: LocalDate | null;
  readonly minimumMonths: number | null;
}

const LABELS = {
  heading: { zh: '案件情况', en: 'The case' },
  intro: (asOf: string): Bilingual => ({
    zh: `本申请涵盖的失信情形及其所依据的事实（截至 ${asOf}）。`,
    en: `The causes this application covers and the facts they rest on (as of ${asOf}).`,
  }),
  none: { zh: '（无记录的失信情形）', en: '(no cause on record)' },
  determinedOn: { zh: '认定日期', en: 'Determined on' },
  tier: { zh: '认定等级', en: 'Tier' },
  policy: { zh: '适用规定', en: 'Judged under' },
  minimumMonths: { zh: '最短修复期', en: 'Minimum rectification period' },
  months: (n: number): Bilingual => ({ zh: `${n} 个月`, en: `${n} months` }),
  listingUntil: { zh: '公示期至', en: 'Listed until' },
  rectifiedOn: { zh: '整改完成日期', en: 'Rectified on' },
  factType: { zh: '事实', en: 'Fact' },
  amount: { zh: '金额（元）', en: 'Amount (CNY)' },
  dates: { zh: '日期', en: 'Dates' },
  paidOn: { zh: '缴清日期', en: 'Paid on' },
  unpaid: { zh: '未缴清', en: 'not paid' },
  imposedOn: { zh: '处罚日期', en: 'Imposed' },
  dueOn: { zh: '缴纳期限', en: 'Due' },
  occurredOn: { zh: '发生日期', en: 'Occurred' },
  clock: { zh: '信用修复期', en: 'Rectification clock' },
  clockStart: { zh: '修复期起算日', en: 'Clock started on' },
  clockNotStarted: { zh: '尚未起算（仍有未缴款项）', en: 'not started (obligations outstanding)' },
  earliest: { zh: '最早可申请日期', en: 'Earliest application date' },
} satisfies Record<string, Bilingual | ((...args: never[]) => Bilingual)>;

const row = (label: Bilingual, value: Markup | string): Markup =>
  join([el('dt', {}, bilingual(label)), el('dd', {}, value)]);

/** A fact's own dates, each named: a fine's imposition and due date, an event's date. */
function factDates(fact: CaseFact): Markup {
  const dated: [Bilingual, LocalDate | undefined][] = [
    [LABELS.imposedOn, fact.imposedOn],
    [LABELS.dueOn, fact.dueOn],
    [LABELS.occurredOn, fact.occurredOn],
  ];
  return join(
    dated.flatMap(([label, date]) =>
      date === undefined
        ? []
        : [el('div', {}, bilingual(label), text(' '), el('span', { class: 'num' }, date))],
    ),
  );
}

function factsTable(facts: readonly CaseFact[]): Markup {
  const head = el(
    'tr',
    {},
    el('th', { scope: 'col' }, bilingual(LABELS.factType)),
    el('th', { scope: 'col' }, bilingual(LABELS.amount)),
    el('th', { scope: 'col' }, bilingual(LABELS.dates)),
    el('th', { scope: 'col' }, bilingual(LABELS.paidOn)),
  );
  const payable = (fact: CaseFact): boolean => fact.amountFen !== undefined;
  const rows = facts.map((fact) =>
    el(
      'tr',
      {},
      el('td', {}, bilingual(FACT_TYPE_NAMES[fact.type])),
      el('td', { class: 'num' }, fact.amountFen === undefined ? '—' : formatYuan(fact.amountFen)),
      el('td', {}, factDates(fact)),
      el('td', {}, fact.paidOn !== undefined ? fact.paidOn : payable(fact) ? bilingual(LABELS.unpaid) : '—'),
    ),
  );
  return el('table', {}, el('thead', {}, head), el('tbody', {}, ...rows));
}

function cause(c: CaseCause): Markup {
  const name = CAUSE_NAMES[c.code];
  return el(
    'section',
    { class: 'cause' },
    el('h3', {}, bilingual(name)),
    el(
      'dl',
      {},
      row(LABELS.determinedOn, c.determinedOn),
      row(LABELS.tier, bilingual(tierName(c.tier))),
      row(LABELS.policy, c.policyId),
      row(LABELS.minimumMonths, bilingual(LABELS.months(c.minimumMonths))),
      row(LABELS.listingUntil, c.listingUntil),
      ...(c.rectifiedOn === undefined ? [] : [row(LABELS.rectifiedOn, c.rectifiedOn)]),
    ),
    factsTable(c.facts),
  );
}

/** The case section of the review page; nothing when the enterprise record could not be read. */
export function caseSection(reviewCase: ReviewCase | undefined): Markup {
  if (reviewCase === undefined) return text('');
  return join([
    el('h2', {}, bilingual(LABELS.heading)),
    el('p', { class: 'muted' }, bilingual(LABELS.intro(reviewCase.asOf))),
    reviewCase.causes.length === 0 ? el('p', {}, bilingual(LABELS.none)) : join(reviewCase.causes.map(cause)),
    el('h3', {}, bilingual(LABELS.clock)),
    el(
      'dl',
      {},
      row(LABELS.clockStart, reviewCase.clockStart ?? bilingual(LABELS.clockNotStarted)),
      ...(reviewCase.minimumMonths === null
        ? []
        : [row(LABELS.minimumMonths, bilingual(LABELS.months(reviewCase.minimumMonths)))]),
      row(LABELS.earliest, reviewCase.earliestApplicationOn ?? '—'),
    ),
  ]);
}
