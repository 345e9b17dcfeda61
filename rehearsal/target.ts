/**
 * Where a rehearsal connects, and whether it may: the guest endpoint of an environment's region, the loopback rule
 * that keeps a rehearsal on the local emulator unless a load test was approved, and the `Origin` a guest sends.
 * Pure: nothing here resolves a name or connects.
 */
import { guestEndpoint } from "../genesys";

/**
 * Whether `hostname` (as `URL.hostname` gives it: IPv6 in brackets) is a loopback address: 127.0.0.0/8, ::1 or
 * `localhost`. Decided from the text alone, before any lookup: another name that resolves to 127.0.0.1 is not
 * loopback here.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (host === "localhost" || host === "[::1]" || host === "::1") return true;
  const octets = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  return octets !== null && octets.slice(1).every((octet) => Number(octet) <= 255);
}

/** The guest endpoint of an environment's region: `wss://webmessaging.<region domain>/v1`. */
export function orgGuestUrl(region: string): string {
  const url = guestEndpoint(region);
  if (url === undefined) throw new Error(`no guest endpoint is known for region "${region}"`);
  return url;
}

/** The Messenger settings that decide a guest's `Origin` (the environment's `messaging`). */
export interface OriginSettings {
  readonly allowedDomains?: readonly string[];
  readonly allowAllDomains?: boolean;
}

/**
 * The `Origin` a guest sends: the page of the first allowed domain, `https://<domain>`, as a browser on that site
 * would (a leading `*.` is dropped; an entry that is already a URL gives its origin). None when the deployment
 * allows all domains (no domain to be from; the service has nothing to check) or lists none.
 */
export function guestOrigin(messaging: OriginSettings): string | undefined {
  if (messaging.allowAllDomains) return undefined;
  const first = messaging.allowedDomains?.find((domain) => domain.trim() !== "");
  if (first === undefined) return undefined;
  const entry = first.trim().replace(/^\*\./, "");
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(entry)) return new URL(entry).origin;
  return new URL(`https://${entry}`).origin;
}
