/**
 * The runtime's listening socket, bound first: a port that is taken is reported before anything is
 * written to the data folder. Requests that arrive before the gateway is ready wait for it (they
 * are answered once `serve` is called), so nothing is refused in between.
 */
import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

export class PortInUseError extends Error {
  constructor(host: string, port: number) {
    super(
      `port ${port} on ${host} is in use (another npm start, or another program): set PORT to a free one`,
    );
    this.name = 'PortInUseError';
  }
}

export class FrontDoor {
  readonly #server: Server;
  #listener: RequestListener | undefined;
  readonly #waiting: [IncomingMessage, ServerResponse][] = [];
  #closing: Promise<void> | undefined;

  constructor() {
    this.#server = createServer((request, response) => {
      if (this.#listener) this.#listener(request, response);
      else this.#waiting.push([request, response]);
    });
  }

  /** Binds HOST:PORT (0 for any free port) and returns the port. */
  async listen(host: string, port: number): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      const fail = (error: NodeJS.ErrnoException): void =>
        reject(error.code === 'EADDRINUSE' ? new PortInUseError(host, port) : error);
      this.#server.once('error', fail);
      this.#server.listen(port, host, () => {
        this.#server.off('error', fail);
        resolve();
      });
    });
    return (this.#server.address() as AddressInfo).port;
  }

  /** From now on requests go to `listener`, the ones that waited first. */
  serve(listener: RequestListener): void {
    this.#listener = listener;
    for (const [request, response] of this.#waiting.splice(0)) listener(request, response);
  }

  /** Stops listening and drops open connections; a second call waits for the first. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      if (!this.#server.listening) return;
      this.#server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        this.#server.close((error) => (error ? reject(error) : resolve())),
      );
    })();
    return this.#closing;
  }
}
