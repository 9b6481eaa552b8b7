/**
 * Where the console runs, from `/console/config.json`: the embedded runtime serves one naming its
 * demo enterprises; the AWS site's names its OIDC issuer. The console's code does not branch on
 * it for what to build (that is `__EMBEDDED__`, fixed at build time), only for what to show.
 */

export interface OidcConfig {
  readonly issuer: string;
  readonly clientId: string;
  readonly scope?: string;
}

export interface ConsoleConfig {
  readonly runtime: 'embedded' | 'aws';
  readonly demoEnterprises?: readonly { id: string; name: string; tier: string }[];
  readonly oidc?: OidcConfig;
}

export async function loadConfig(): Promise<ConsoleConfig> {
  try {
    const response = await fetch('/console/config.json', { cache: 'no-store', credentials: 'omit' });
    if (response.ok) return (await response.json()) as ConsoleConfig;
  } catch {
    // no config: defaults below
  }
  return { runtime: __EMBEDDED__ ? 'embedded' : 'aws' };
}
