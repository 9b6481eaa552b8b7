import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';
import { clearQueries } from './api/query.ts';
import type { ConsoleConfig } from './config.ts';
import { langStore, langTag, setLang, useT } from './i18n.ts';
import { OperatorBar, OperatorScreen } from './operator/screens.tsx';
import { ApplicationPage } from './pages/application.tsx';
import { ApplicationsPage } from './pages/applications.tsx';
import { EnterprisePage } from './pages/enterprise.tsx';
import { HomePage } from './pages/home.tsx';
import { ReviewersPage } from './pages/reviewers.tsx';
import { SignInPage } from './pages/sign-in.tsx';
import { href, navigate, useRoute, type Route } from './router.ts';
import { sessionStore, signOut, type Session } from './session.ts';
import { useStore } from './store.ts';
import { S } from './strings.ts';
import { OS } from './operator/strings.ts';
import { Page } from './components/page.tsx';

/** The shell: skip link, header with navigation, language switch and identity, then the screen. */

function NavLink(props: { to: string; current: boolean; children: ComponentChildren }) {
  return (
    <a href={props.to} aria-current={props.current ? 'page' : undefined}>
      {props.children}
    </a>
  );
}

function Navigation(props: { route: Route; session: Session | undefined }) {
  const { t } = useT();
  const { route, session } = props;
  const role = session?.principal.role;
  return (
    <nav aria-label={t(S.mainNav)}>
      <ul>
        {role === 'officer' && (
          <>
            <li>
              <NavLink to={href.home()} current={route.name === 'home'}>
                {t(S.officerHome)}
              </NavLink>
            </li>
            <li>
              <NavLink to={href.applications()} current={route.name === 'applications'}>
                {t(S.applicationsTitle)}
              </NavLink>
            </li>
            <li>
              <NavLink to={href.reviewers()} current={route.name === 'reviewers'}>
                {t(S.reviewersTitle)}
              </NavLink>
            </li>
          </>
        )}
        {role === 'applicant' &&
          session?.principal.enterprises.map((id) => (
            <li key={id}>
              <NavLink to={href.enterprise(id)} current={route.name === 'enterprise' && route.id === id}>
                {t(S.enterprise)} {id}
              </NavLink>
            </li>
          ))}
        {__EMBEDDED__ && (
          <>
            <li>
              <NavLink to={href.operator()} current={route.name === 'operator'}>
                {t(OS.operator)}
              </NavLink>
            </li>
            <li>
              <NavLink to={href.inbox()} current={route.name === 'inbox' || route.name === 'message'}>
                {t(OS.inbox)}
              </NavLink>
            </li>
            <li>
              <a href="/console/api-docs.html">{t(OS.apiDocs)}</a>
            </li>
          </>
        )}
      </ul>
    </nav>
  );
}

function Identity(props: { session: Session | undefined }) {
  const { t } = useT();
  const { session } = props;
  if (session === undefined) {
    return (
      <a class="button secondary" href={href.signIn()}>
        {t(S.signIn)}
      </a>
    );
  }
  const { principal } = session;
  return (
    <div class="identity" data-role={principal.role}>
      <span>
        {t(S.signedInAs)}: {principal.role === 'officer' ? t(S.roleOfficer) : t(S.roleApplicant)}{' '}
        <span class="code">{principal.subject}</span>
      </span>
      <button
        type="button"
        class="secondary"
        onClick={() => {
          signOut();
          clearQueries();
          navigate(href.signIn());
        }}
      >
        {t(S.signOut)}
      </button>
    </div>
  );
}

function Screen(props: {
  route: Route;
  session: Session | undefined;
  config: ConsoleConfig;
  oidcError?: string;
}) {
  const { t } = useT();
  const { route, session, config } = props;
  if (__EMBEDDED__ && (route.name === 'operator' || route.name === 'inbox' || route.name === 'message')) {
    return <OperatorScreen route={route} config={config} />;
  }
  if (route.name === 'signIn' || session === undefined) {
    return (
      <SignInPage config={config} {...(props.oidcError === undefined ? {} : { error: props.oidcError })} />
    );
  }
  switch (route.name) {
    case 'home':
      return <HomePage session={session} query={route.query} />;
    case 'enterprise':
      return <EnterprisePage id={route.id} session={session} />;
    case 'applications':
      return <ApplicationsPage query={route.query} />;
    case 'application':
      return <ApplicationPage id={route.id} session={session} />;
    case 'reviewers':
      return <ReviewersPage />;
    default:
      return (
        <Page title={t(S.notFound)}>
          <p>{t(S.notFoundText)}</p>
          <p>
            <a href={href.home()}>{t(S.backHome)}</a>
          </p>
        </Page>
      );
  }
}

export function App(props: { config: ConsoleConfig; oidcError?: string }) {
  const { t, lang } = useT();
  const route = useRoute();
  const session = useStore(sessionStore);
  useEffect(() => {
    document.documentElement.lang = langTag(lang);
  }, [lang]);
  const other = langStore.get() === 'zh' ? 'en' : 'zh';
  return (
    <>
      <a
        class="skip-link"
        href="#main"
        onClick={(event) => {
          event.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        {t(S.skipToContent)}
      </a>
      <header class="site-header">
        <a class="brand" href={href.home()}>
          {t(S.appName)}
        </a>
        <Navigation route={route} session={session} />
        <div class="header-tools">
          <button
            type="button"
            class="secondary"
            lang={langTag(other)}
            aria-label={t(S.switchLanguageLabel)}
            onClick={() => setLang(other)}
          >
            {t(S.switchLanguage)}
          </button>
          <Identity session={session} />
        </div>
      </header>
      {__EMBEDDED__ && <OperatorBar />}
      <main id="main" tabIndex={-1} key={`${route.name}:${'id' in route ? route.id : ''}`}>
        <Screen
          route={route}
          session={session}
          config={props.config}
          {...(props.oidcError === undefined ? {} : { oidcError: props.oidcError })}
        />
      </main>
    </>
  );
}
