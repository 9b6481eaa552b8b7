import { render } from 'preact';
import { App } from './app.tsx';
import { loadConfig } from './config.ts';
import { completeOidcSignIn } from './oidc.ts';
import './styles.css';

const root = document.getElementById('app');
if (root !== null) {
  const config = await loadConfig();
  // Back from the issuer with ?code&state: finish the sign-in before the first screen.
  const oidcError = await completeOidcSignIn(config);
  render(<App config={config} oidcError={oidcError} />, root);
}
