import { useState } from 'preact/hooks';
import { tierName } from '../../../domain/labels.ts';
import type { Tier } from '../../../domain/tiers.ts';
import { clearQueries } from '../api/query.ts';
import type { ConsoleConfig } from '../config.ts';
import { Notice, Page } from '../components/page.tsx';
import { Field, fieldError, ProblemAlert } from '../components/problem.tsx';
import { formatInstant, useT } from '../i18n.ts';
import { href, navigate, type Route } from '../router.ts';
import { signIn } from '../session.ts';
import { S } from '../strings.ts';
import { OS } from './strings.ts';
import { moveClock, runSweep, useSimulatedClock } from './clock-api.ts';
import { InboxPage, MessagePage } from './inbox.tsx';
import { devToken } from './local-api.ts';

/**
 * The operator's pages, on the embedded runtime only: every use of this module sits behind
 * `__EMBEDDED__`, so the AWS build drops it (a test reads the built files to be sure).
 */

const DAY_MS = 86_400_000;

export function DevSignIn(props: { config: ConsoleConfig }) {
  const { t } = useT();
  const [role, setRole] = useState<'officer' | 'applicant'>('officer');
  const [enterprises, setEnterprises] = useState('');
  const [error, setError] = useState<unknown>();
  const demo = props.config.demoEnterprises ?? [];

  const go = async (chosenRole: 'officer' | 'applicant', ids: readonly string[]) => {
    setError(undefined);
    try {
      const token = await devToken(chosenRole, ids);
      if (signIn(token, 'dev') === undefined)
        throw new Error('the runtime minted a token without a usable role');
      clearQueries();
      const first = ids[0];
      navigate(
        chosenRole === 'applicant' && ids.length === 1 && first !== undefined
          ? href.enterprise(first)
          : href.home(),
      );
    } catch (caught) {
      setError(caught);
    }
  };

  return (
    <section class="card" aria-labelledby="dev-sign-in-heading">
      <h2 id="dev-sign-in-heading">{t(OS.devSignIn)}</h2>
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          const ids = enterprises
            .split(',')
            .map((id) => id.trim().toUpperCase())
            .filter((id) => id.length > 0);
          void go(role, ids);
        }}
      >
        <fieldset>
          <legend>{t(OS.devRole)}</legend>
          <label class="choice">
            <input
              type="radio"
              name="role"
              value="officer"
              checked={role === 'officer'}
              onChange={() => setRole('officer')}
            />{' '}
            {t(S.roleOfficer)}
          </label>
          <label class="choice">
            <input
              type="radio"
              name="role"
              value="applicant"
              checked={role === 'applicant'}
              onChange={() => setRole('applicant')}
            />{' '}
            {t(S.roleApplicant)}
          </label>
        </fieldset>
        {role === 'applicant' && (
          <Field
            id="dev-enterprises"
            label={t(OS.devEnterprises)}
            error={fieldError(error, 'enterprise')}
            input={{
              value: enterprises,
              list: 'demo-enterprises',
              autocomplete: 'off',
              onInput: (event) => setEnterprises((event.target as HTMLInputElement).value),
            }}
          />
        )}
        <datalist id="demo-enterprises">
          {demo.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name}
            </option>
          ))}
        </datalist>
        <ProblemAlert error={error} fields={['enterprise']} />
        <button type="submit">{t(S.signIn)}</button>
      </form>
      {demo.length > 0 && (
        <ul class="plain demo-list">
          {demo.map((d) => (
            <li key={d.id}>
              <button type="button" class="link" onClick={() => void go('applicant', [d.id])}>
                {t(S.roleApplicant)} {d.id}
              </button>{' '}
              {d.name} · {t(tierName(d.tier as Tier))}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function ClockPanel() {
  const { t, lang } = useT();
  const clock = useSimulatedClock();
  const [date, setDate] = useState('');
  const [error, setError] = useState<unknown>();
  const [moved, setMoved] = useState(false);
  const move = async (to: Date) => {
    setError(undefined);
    setMoved(false);
    try {
      await moveClock(to.toISOString());
      setMoved(true);
      await clock.refetch();
    } catch (caught) {
      setError(caught);
    }
  };
  const now = clock.data === undefined ? undefined : new Date(clock.data.now);
  return (
    <section class="card" aria-labelledby="clock-heading">
      <h2 id="clock-heading">{t(OS.clock)}</h2>
      <p>
        {t(OS.now)}:{' '}
        <strong data-testid="clock-now">
          {clock.data ? `${formatInstant(clock.data.now, lang)} (Asia/Shanghai)` : '…'}
        </strong>
      </p>
      <div class="button-row">
        {[1, 7, 30].map((days) => (
          <button
            key={days}
            type="button"
            disabled={now === undefined}
            onClick={() => now && void move(new Date(now.getTime() + days * DAY_MS))}
          >
            {days === 1 ? t(OS.plusDay) : t(OS.plusDays).replace('{n}', String(days))}
          </button>
        ))}
      </div>
      <form
        class="inline-form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          // Noon in Shanghai on that date: the whole calendar day is "today" for the rules.
          void move(new Date(`${date}T12:00:00+08:00`));
        }}
      >
        <Field
          id="clock-date"
          label={t(OS.moveTo)}
          error={fieldError(error, 'now')}
          input={{ type: 'date', value: date, onInput: (e) => setDate((e.target as HTMLInputElement).value) }}
        />
        <button type="submit">{t(OS.move)}</button>
      </form>
      <ProblemAlert error={error} fields={['now']} />
      {moved && <Notice>{t(OS.clockMoved)}</Notice>}
    </section>
  );
}

function SweepPanel() {
  const { t } = useT();
  const [counts, setCounts] = useState<Record<string, unknown>>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  return (
    <section class="card" aria-labelledby="sweep-heading">
      <h2 id="sweep-heading">{t(OS.sweep)}</h2>
      <button
        type="button"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          setError(undefined);
          try {
            setCounts(await runSweep());
          } catch (caught) {
            setError(caught);
          } finally {
            setBusy(false);
          }
        }}
      >
        {t(OS.runSweep)}
      </button>
      <ProblemAlert error={error} />
      {counts && (
        <table data-testid="sweep-counts">
          <caption>{t(OS.sweepCounts)}</caption>
          <tbody>
            {Object.entries(counts).map(([name, value]) => (
              <tr key={name}>
                <th scope="row" class="code">
                  {name}
                </th>
                <td>{typeof value === 'object' ? JSON.stringify(value) : String(value)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function OperatorPage(props: { config: ConsoleConfig }) {
  const { t } = useT();
  return (
    <Page title={t(OS.operatorTitle)}>
      <div class="grid">
        <ClockPanel />
        <SweepPanel />
        <DevSignIn config={props.config} />
        <section class="card" aria-labelledby="links-heading">
          <h2 id="links-heading">{t(OS.links)}</h2>
          <ul>
            <li>
              <a href={href.inbox()}>{t(OS.inbox)}</a>
            </li>
            <li>
              <a href="/console/api-docs.html">{t(OS.apiDocs)}</a>
            </li>
          </ul>
        </section>
      </div>
    </Page>
  );
}

export function OperatorScreen(props: { route: Route; config: ConsoleConfig }) {
  const { route } = props;
  if (route.name === 'inbox') return <InboxPage query={route.query} />;
  if (route.name === 'message') return <MessagePage id={route.id} />;
  return <OperatorPage config={props.config} />;
}

/** The simulated time on every screen, so whoever looks knows which day the rules see. */
export function OperatorBar() {
  const { t, lang } = useT();
  const clock = useSimulatedClock();
  return (
    <aside class="operator-bar" aria-label={t(OS.operator)}>
      {t(OS.clock)}:{' '}
      <span data-testid="operator-bar-clock">{clock.data ? formatInstant(clock.data.now, lang) : '…'}</span> ·{' '}
      <a href={href.operator()}>{t(OS.operatorTitle)}</a>
    </aside>
  );
}
