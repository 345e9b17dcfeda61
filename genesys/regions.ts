/**
 * Genesys Cloud regions: the keys the Terraform provider takes (`aws_region`, `GENESYSCLOUD_REGION`) and the domain
 * each one lives under. Hosts are built from the domain:
 * - the Platform API at `https://api.<domain>` and login at `https://login.<domain>` (what the SDK's
 *   `setEnvironment` takes; the preflight and `watch` log in there);
 * - the Web Messaging guest API at `wss://webmessaging.<domain>/v1?deploymentId=<id>` (what a load test and
 *   `rehearse --org` connect to).
 *
 * Sources: the provider's `getRegionMap()` (mypurecloud/genesyscloud, `genesyscloud/provider`; base URL
 * `"https://api." + domain`) for the keys and domains; the Java Web Messaging SDK's
 * `GenesysCloudRegionWebSocketHosts` (MyPureCloud/web-messaging-sdk-java, v18.1.0) for the guest hosts, which are
 * `webmessaging.<the same domain>` for every region it lists. Its enum has no sa-east-1, no eusc-de-east-1 and
 * none of the internal dca / tca: their guest host is the same rule applied, not read from a source.
 */
export const REGION_DOMAINS: Readonly<Record<string, string>> = {
  dca: "inindca.com",
  tca: "inintca.com",
  "us-east-1": "mypurecloud.com",
  "us-east-2": "use2.us-gov-pure.cloud",
  "us-west-2": "usw2.pure.cloud",
  "eu-west-1": "mypurecloud.ie",
  "eu-west-2": "euw2.pure.cloud",
  "ap-southeast-2": "mypurecloud.com.au",
  "ap-northeast-1": "mypurecloud.jp",
  "eu-central-1": "mypurecloud.de",
  "ca-central-1": "cac1.pure.cloud",
  "ap-northeast-2": "apne2.pure.cloud",
  "ap-south-1": "aps1.pure.cloud",
  "sa-east-1": "sae1.pure.cloud",
  "ap-northeast-3": "apne3.pure.cloud",
  "eu-central-2": "euc2.pure.cloud",
  "me-central-1": "mec1.pure.cloud",
  "mx-central-1": "mxc1.pure.cloud",
  "ap-southeast-1": "apse1.pure.cloud",
  "eusc-de-east-1": "edee1.eusc-pure.cloud",
};

/** The domain of a region key, matched case-insensitively like the provider does; undefined if unknown. */
export function regionDomain(region: string): string | undefined {
  const key = region.trim().toLowerCase();
  return Object.prototype.hasOwnProperty.call(REGION_DOMAINS, key) ? REGION_DOMAINS[key] : undefined;
}

/** The Web Messaging guest endpoint of a region, without the query: `wss://webmessaging.<domain>/v1`. */
export function guestEndpoint(region: string): string | undefined {
  const domain = regionDomain(region);
  return domain === undefined ? undefined : `wss://webmessaging.${domain}/v1`;
}
