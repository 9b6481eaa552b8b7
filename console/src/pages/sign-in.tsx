import { useState } from 'preact/hooks';
import type { ConsoleConfig } from '../config.ts';
import { useT } from '../i18n.ts';
import { startOidcSignIn } from '../oidc.ts';
import { DevSignIn } from '../operator/screens.tsx';
import { S } from '../strings.ts';
import { Page } from '../components/page.tsx';
import { ProblemAlert } from '../components/problem.tsx';

export function SignInPage(props: { config: ConsoleConfig; error?: string }) {
  const { t } = useT();
  const [error, setError] = useState<unknown>(props.error === undefined ? undefined : new Error(props.error));
  const oidc = props.config.oidc;
  return (
    <Page title={t(S.signInTitle)}>
      {error !== undefined && <ProblemAlert error={error} />}
      {oidc !== undefined ? (
        <p>
          <button type="button" onClick={() => startOidcSignIn(oidc).catch((e: unknown) => setError(e))}>
            {t(S.signInOidc)}
          </button>
        </p>
      ) : (
        !__EMBEDDED__ && <p>{t(S.signInNotConfigured)}</p>
      )}
      {__EMBEDDED__ && <DevSignIn config={props.config} />}
    </Page>
  );
}
