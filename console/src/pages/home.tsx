import { useState } from 'preact/hooks';
import { getEnterprise, keys } from '../api/calls.ts';
import { useQuery } from '../api/query.ts';
import { TierBadge } from '../components/badges.tsx';
import { Page } from '../components/page.tsx';
import { Field } from '../components/problem.tsx';
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

export function HomePage(props: { session: Session }) {
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
        <p class="muted">{t(S.findByNameLater)}</p>
      </section>
      <p>
        <a href={href.applications()}>{t(S.applicationsTitle)}</a> ·{' '}
        <a href={href.reviewers()}>{t(S.reviewersTitle)}</a>
      </p>
    </Page>
  );
}
