import { useState } from 'preact/hooks';
import { tierName } from '../../../domain/labels.ts';
import { TIERS } from '../../../domain/tiers.ts';
import { findEnterprises, getEnterprise, keys } from '../api/calls.ts';
import { useQuery } from '../api/query.ts';
import { TierBadge } from '../components/badges.tsx';
import { Loading, Page } from '../components/page.tsx';
import { Field, ProblemAlert } from '../components/problem.tsx';
import { useT } from '../i18n.ts';
import { href, navigate } from '../router.ts';
import type { Session } from '../session.ts';
import { S } from '../strings.ts';

const ENTERPRISE_ID = /^[0-9A-Z]{10}$/;

function OpenEnterprise() {
  const { t } = useT();
  const [id, setId] = useState('');
  const [error, setError] = useState<string>();
  return (
    <form
      class="inline-form"
      onSubmit={(event) => {
        event.preventDefault();
        const wanted = id.trim().toUpperCase();
        if (!ENTERPRISE_ID.test(wanted)) {
          setError(t(S.enterpriseIdHint));
          return;
        }
        navigate(href.enterprise(wanted));
      }}
    >
      <Field
        id="enterprise-id"
        label={t(S.enterpriseId)}
        hint={t(S.enterpriseIdHint)}
        error={error}
        input={{
          value: id,
          autocomplete: 'off',
          spellcheck: false,
          onInput: (event) => setId((event.target as HTMLInputElement).value),
        }}
      />
      <button type="submit">{t(S.open)}</button>
    </form>
  );
}

function MyEnterprise(props: { id: string }) {
  const { t } = useT();
  const enterprise = useQuery(keys.enterprise(props.id), () => getEnterprise(props.id));
  return (
    <li>
      <a href={href.enterprise(props.id)}>
        {enterprise.data?.name ?? props.id} ({props.id})
      </a>{' '}
      {enterprise.data && <TierBadge tier={enterprise.data.tier} />}
      {enterprise.error !== undefined && <span class="muted"> — {t(S.networkError)}</span>}
    </li>
  );
}

/**
 * Finding enterprises by the start of the name and/or tier (GET /enterprises). The search is in
 * the address (`#/?name=…&tier=…`), so a result list is a link and Back returns to it.
 */
function FindEnterprises(props: { query: URLSearchParams }) {
  const { t } = useT();
  const name = props.query.get('name') ?? '';
  const tier = props.query.get('tier') ?? '';
  const nextToken = props.query.get('nextToken') ?? undefined;
  const [typed, setTyped] = useState(name);
  const [chosen, setChosen] = useState(tier);
  const searching = name !== '' || tier !== '';
  const query = new URLSearchParams();
  if (name) query.set('name', name);
  if (tier) query.set('tier', tier);
  query.set('limit', '20');
  if (nextToken) query.set('nextToken', nextToken);
  const found = useQuery(searching ? keys.enterprises(query.toString()) : null, () => findEnterprises(query));
  return (
    <section aria-labelledby="find-heading" class="card">
      <h2 id="find-heading">{t(S.findEnterprises)}</h2>
      <form
        class="inline-form"
        role="search"
        aria-label={t(S.findEnterprises)}
        onSubmit={(event) => {
          event.preventDefault();
          navigate(href.home({ name: typed.trim(), tier: chosen }));
        }}
      >
        <Field
          id="find-name"
          label={t(S.nameStartsWith)}
          input={{
            value: typed,
            autocomplete: 'off',
            onInput: (event) => setTyped((event.target as HTMLInputElement).value),
          }}
        />
        <div class="field">
          <label for="find-tier">{t(S.tier)}</label>
          <select
            id="find-tier"
            value={chosen}
            onChange={(e) => setChosen((e.target as HTMLSelectElement).value)}
          >
            <option value="">{t(S.allTiers)}</option>
            {TIERS.map((code) => (
              <option key={code} value={code}>
                {t(tierName(code))}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">{t(S.find)}</button>
      </form>
      <p>
        <a href={href.home({ tier: 'DISHONEST' })}>{t(S.listedDishonest)}</a> ·{' '}
        <a href={href.home({ tier: 'SERIOUSLY_DISHONEST' })}>{t(S.listedSeriously)}</a>
      </p>
      {found.loading && <Loading />}
      <ProblemAlert error={found.error} />
      {found.data &&
        (found.data.items.length === 0 ? (
          <p class="muted" role="status">
            {t(S.noEnterprisesFound)}
          </p>
        ) : (
          <div class="table-wrap">
            <table class="found">
              <caption>{t(S.foundEnterprises)}</caption>
              <thead>
                <tr>
                  <th scope="col">{t(S.name)}</th>
                  <th scope="col">{t(S.enterpriseId)}</th>
                  <th scope="col">{t(S.tier)}</th>
                </tr>
              </thead>
              <tbody>
                {found.data.items.map((e) => (
                  <tr key={e.id} data-enterprise={e.id}>
                    <td>
                      <a href={href.enterprise(e.id)}>{e.name}</a>
                    </td>
                    <td class="code">{e.id}</td>
                    <td>
                      <TierBadge tier={e.tier} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
      {found.data && (
        <p class="button-row">
          {nextToken && <a href={href.home({ name, tier })}>{t(S.firstPage)}</a>}
          {found.data.nextToken && (
            <a href={href.home({ name, tier, nextToken: found.data.nextToken })}>{t(S.nextPage)}</a>
          )}
        </p>
      )}
    </section>
  );
}

export function HomePage(props: { session: Session; query: URLSearchParams }) {
  const { t } = useT();
  const { principal } = props.session;
  if (principal.role === 'applicant') {
    return (
      <Page title={t(S.applicantHome)}>
        <ul class="plain">
          {principal.enterprises.map((id) => (
            <MyEnterprise key={id} id={id} />
          ))}
        </ul>
      </Page>
    );
  }
  return (
    <Page title={t(S.officerHome)}>
      <section aria-labelledby="open-heading" class="card">
        <h2 id="open-heading">{t(S.openEnterprise)}</h2>
        <OpenEnterprise />
      </section>
      <FindEnterprises query={props.query} />
      <p>
        <a href={href.applications()}>{t(S.applicationsTitle)}</a> ·{' '}
        <a href={href.reviewers()}>{t(S.reviewersTitle)}</a>
      </p>
    </Page>
  );
}
