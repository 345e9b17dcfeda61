/**
 * How the driver opens a guest WebSocket, as one replaceable function: the rehearsal, its probe and the CLI take a
 * `Connector`, so tests can prove that nothing connects (or resolves a name) before the target is allowed, and can
 * point a run at a loopback emulator whatever host its URL names.
 */
import type { LookupFunction } from "node:net";
import WebSocket, { type ClientOptions } from "ws";

/** What every guest connection is opened with. */
export interface ConnectOptions {
  /** The `Origin` header, when one is sent. @default - none */
  readonly origin?: string;
  /** Real milliseconds the HTTP upgrade may take. */
  readonly handshakeTimeout: number;
}

/** Opens one guest connection to `url` (the guest endpoint with its `?deploymentId=`). */
export type Connector = (url: string, options: ConnectOptions) => WebSocket;

/**
 * The connector of a real run: a `ws` client without compression. `lookup` replaces the DNS lookup of the
 * host name (`dns.lookup` by default).
 */
export function webSocketConnector(lookup?: LookupFunction): Connector {
  return (url, options) => {
    const clientOptions: ClientOptions & { lookup?: LookupFunction } = {
      perMessageDeflate: false,
      handshakeTimeout: options.handshakeTimeout,
      ...(options.origin === undefined ? {} : { origin: options.origin }),
      ...(lookup === undefined ? {} : { lookup }),
    };
    return new WebSocket(url, clientOptions);
  };
}
