/**
 * Whether a Messenger deployment lets a guest in from the `Origin` of its handshake. The allowed domains live on the
 * deployment, not on its configuration: `allowAllDomains` and `allowedDomains` of the Platform API's
 * `WebDeployment` [C SDK model, platform-client-sdk-go `Webdeployment`: "The list of domains that are approved to
 * use this deployment; the list will be added to CORS headers"; provider 1.82.0 `allow_all_domains`,
 * `allowed_domains` of `genesyscloud_webdeployments_deployment`].
 *
 * The matching is Messenger's own client-side check, the only one known [S Safricloud notes reading
 * `isAllowedDomain` in genesys.min.js 2.14.0]: the hostname alone (scheme and port ignored), case-insensitive,
 * equal to an entry or ending in `.<entry>`; an entry with a scheme or a port never matches; allowAllDomains lets
 * everyone in; an empty list with allowAllDomains false lets nobody in. That the server checks the WebSocket's
 * Origin the same way is (I). A handshake without Origin, or with `null`, has no domain to match (I: browsers
 * always send one). An Origin that is not a URL is taken as a host name, as the mobile SDK sends its endpoint's
 * host (`Origin: webmessaging.mypurecloud.com`) [C MobileSDK PlatformSocket.kt].
 */

/** A deployment as the store keeps it; the check reads `allowAllDomains` and `allowedDomains`. */
export type DomainSettings = Readonly<Record<string, unknown>>;

/** Whether `origin` (the handshake's Origin header, if any) may use a deployment with `settings`. */
export function originAllowed(settings: DomainSettings, origin: string | undefined): boolean {
  if (settings.allowAllDomains === true) return true;
  const host = hostOf(origin);
  if (host === undefined) return false;
  const domains = Array.isArray(settings.allowedDomains) ? settings.allowedDomains : [];
  return domains.some((entry) => {
    if (typeof entry !== "string") return false;
    const domain = entry.trim().toLowerCase();
    return domain !== "" && (host === domain || host.endsWith(`.${domain}`));
  });
}

function hostOf(origin: string | undefined): string | undefined {
  const text = origin?.trim();
  if (!text || text === "null") return undefined;
  try {
    return (new URL(text).hostname || text).toLowerCase();
  } catch {
    return text.toLowerCase();
  }
}
