import type { Ports } from '../ports/ports.ts';

/**
 * Ports the host of the handlers puts in place of the AWS ones: the embedded runtime its simulated
 * clock and its outbox (local/runtime.ts), a test its twins. Lambda installs nothing. Each getter of
 * this folder asks here first, so a handler never knows which it got.
 */
const installed: { -readonly [K in keyof Ports]?: Ports[K] } = {};

/**
 * Installs ports; returns what undoes it. Undoing puts back what each port was before, unless
 * something installed since replaced it (then that stays).
 */
export function installPorts(ports: Partial<Ports>): () => void {
  const names = Object.keys(ports) as (keyof Ports)[];
  const previous = new Map(names.map((name) => [name, installed[name]]));
  Object.assign(installed, ports);
  return () => {
    for (const name of names) {
      if (installed[name] !== ports[name]) continue;
      const before = previous.get(name);
      if (before === undefined) delete installed[name];
      else Object.assign(installed, { [name]: before });
    }
  };
}

/** The installed port of that name, if any. */
export const installedPort = <K extends keyof Ports>(name: K): Ports[K] | undefined => installed[name];
