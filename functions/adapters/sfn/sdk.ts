import type * as Sfn from '@aws-sdk/client-sfn';
import { sharedClient } from '../aws-clients.ts';

/**
 * The Step Functions SDK as the workflow client uses it: the package (client and command classes)
 * and the process's one client. This module loads no SDK code itself: client.ts loads the package
 * with the function (handlers that call Step Functions on every request), client-on-demand.ts on
 * the first call (handlers that call it only on some paths), so a function that never takes such
 * a path never loads the package.
 */
export type SfnPackage = typeof Sfn;

export interface SfnSdk {
  readonly sfn: SfnPackage;
  readonly client: Sfn.SFNClient;
}

/** Both loaders hand in the same module; the first to load it names the package the client comes from. */
let loaded: SfnPackage | undefined;

const shared = sharedClient(() => {
  if (loaded === undefined) throw new Error('the Step Functions SDK is not loaded');
  return new loaded.SFNClient({});
});

/** The shared client, built from the package handed in (the same module, however it was loaded). */
export function sharedSfnClient(sfn: SfnPackage): Sfn.SFNClient {
  loaded ??= sfn;
  return shared();
}

/** A getter of the SDK that loads the package with `load` on its first call. */
export function sfnSdk(load: () => SfnPackage | Promise<SfnPackage>): () => Promise<SfnSdk> {
  let loading: Promise<SfnPackage> | undefined;
  return async () => {
    loading ??= Promise.resolve(load());
    const sfn = await loading.catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return { sfn, client: sharedSfnClient(sfn) };
  };
}
