/**
 * Demo data for a new data folder: a reviewer directory and one enterprise in each situation the
 * README's walkthrough and a newcomer's exploration need. Facts are dated relative to the
 * simulated clock, so the data means the same thing whatever day it is loaded. Everything goes
 * through the same use cases the API calls, never raw table writes.
 */
import { classify } from '../domain/classification.ts';
import { addDays, addMonths, addYears, localDateIn, type LocalDate } from '../domain/dates.ts';
import type { Tier } from '../domain/tiers.ts';
import type { Party } from '../domain/vocabulary.ts';
import { seedReviewer } from '../functions/usecases/directory/reviewers.ts';
import { createEnterprise } from '../functions/usecases/enterprises/register.ts';
import { loadEnterprise } from '../functions/usecases/enterprises/records.ts';
import { recordFact, recordPayment, type Actor } from '../functions/usecases/enterprises/facts.ts';
import type { Store } from '../functions/ports/store/store.ts';

export const DEMO_ENTERPRISES = {
  /** DISHONEST for tax arrears determined 5 months ago, paid 4 months ago: may apply now. */
  eligible: 'DEMOTAX001',
  /** DISHONEST for excessive fines, paid 10 days ago: 6 months of rectification still to go. */
  rectifying: 'DEMOFIN001',
  /** SERIOUSLY_DISHONEST for bribery 3 months ago. */
  seriouslyDishonest: 'DEMOBRB001',
  certified: 'DEMOCER001',
  advancedCertified: 'DEMOACE001',
  regular: 'DEMOREG001',
} as const;

export type DemoRole = keyof typeof DEMO_ENTERPRISES;

export interface DemoEnterprise {
  readonly role: DemoRole;
  readonly id: string;
  readonly name: string;
  readonly tier: Tier;
}

/**
 * People, not offices: a party is named once (domain/labels.ts), and its reviewer's name is only
 * ever a person's. What marks the demo data as demo is the enterprises' `DEMO` ids and the
 * example.org addresses, never a suffix on a name that would end up in email subjects.
 */
const REVIEWERS: Readonly<Record<Party, { name: string; email: string; escalationEmail: string }>> = {
  CUSTOMS: {
    name: 'Wang Lei',
    email: 'customs.reviewer@example.org',
    escalationEmail: 'customs.lead@example.org',
  },
  TAX: { name: 'Zhao Min', email: 'tax.reviewer@example.org', escalationEmail: 'tax.lead@example.org' },
  MARKET_REGULATION: {
    name: 'Chen Jing',
    email: 'market.reviewer@example.org',
    escalationEmail: 'market.lead@example.org',
  },
  FINANCIAL_REGULATION: {
    name: 'Liu Yang',
    email: 'finance.reviewer@example.org',
    escalationEmail: 'finance.lead@example.org',
  },
};

const YUAN = 100;

/** Loads the demo data as of `now`; returns the enterprises with the tier each ended up in. */
export async function loadDemoData(store: Store, now: Date): Promise<DemoEnterprise[]> {
  const at = now.toISOString();
  const today: LocalDate = localDateIn(now);
  const who: Actor = { now: at, actor: 'officer:demo-data' };

  for (const [party, contact] of Object.entries(REVIEWERS) as [Party, (typeof REVIEWERS)[Party]][]) {
    await seedReviewer(store, party, contact, at);
  }

  const register = async (role: DemoRole, name: string, tier?: Tier, certifiedOn?: LocalDate) =>
    createEnterprise(
      store,
      {
        id: DEMO_ENTERPRISES[role],
        name,
        contactEmail: `contact@${DEMO_ENTERPRISES[role].toLowerCase()}.example.org`,
        ...(tier === undefined ? {} : { tier }),
        ...(certifiedOn === undefined ? {} : { certifiedOn }),
      },
      at,
    );

  // Tax due 8 months ago, unpaid 3 months later (arrears determined 5 months ago), paid 4 months
  // ago: the 3-month rectification ended a month ago.
  await register('eligible', 'Harbour Trading Co.');
  const tax = await recordFact(
    store,
    DEMO_ENTERPRISES.eligible,
    { type: 'TAX_ASSESSMENT', amountFen: 250_000 * YUAN, dueOn: addMonths(today, -8) },
    who,
  );
  await recordPayment(store, DEMO_ENTERPRISES.eligible, tax.fact.id, { paidOn: addMonths(today, -4) }, who);

  // Fines crossing ¥1,000,000 within 12 months, all paid 10 days ago: 6 months from then.
  await register('rectifying', 'Lotus Logistics Ltd.');
  const fines = [
    { amountFen: 600_000 * YUAN, imposedOn: addMonths(today, -4), dueOn: addMonths(today, -3) },
    { amountFen: 500_000 * YUAN, imposedOn: addMonths(today, -2), dueOn: addMonths(today, -1) },
  ];
  for (const fine of fines) {
    const recorded = await recordFact(store, DEMO_ENTERPRISES.rectifying, { type: 'FINE', ...fine }, who);
    await recordPayment(
      store,
      DEMO_ENTERPRISES.rectifying,
      recorded.fact.id,
      { paidOn: addDays(today, -10) },
      who,
    );
  }

  await register('seriouslyDishonest', 'Jade River Import Corp.');
  await recordFact(
    store,
    DEMO_ENTERPRISES.seriouslyDishonest,
    { type: 'BRIBERY', occurredOn: addMonths(today, -3) },
    who,
  );

  await register('certified', 'Silk Road Freight Co.', 'CERTIFIED', addYears(today, -1));
  await register(
    'advancedCertified',
    'Golden Bridge Exports Ltd.',
    'ADVANCED_CERTIFIED',
    addYears(today, -2),
  );
  await register('regular', 'Pearl Delta Supplies Co.');

  const result: DemoEnterprise[] = [];
  for (const [role, id] of Object.entries(DEMO_ENTERPRISES) as [DemoRole, string][]) {
    const loaded = await loadEnterprise(store, id);
    if (loaded === null) throw new Error(`demo enterprise ${id} is missing after loading`);
    result.push({ role, id, name: loaded.profile.name, tier: classify(loaded.input, today).tier });
  }
  return result;
}
