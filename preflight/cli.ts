/**
 * `npm run --silent preflight -- <env> [--json]`: checks an environment's shard plan against the Genesys Cloud
 * org's live limits before a load test. The same as `shards --env <env> --from-org`.
 *
 * Reads GENESYSCLOUD_OAUTHCLIENT_ID, GENESYSCLOUD_OAUTHCLIENT_SECRET and GENESYSCLOUD_REGION (e.g. us-east-1),
 * or GENESYSCLOUD_GATEWAY_HOST / _PORT / _PROTOCOL to use a gateway such as the local emulator.
 *
 * Exit codes: 0 the plan fits; 3 it does not fit the org's limits; 2 bad usage, bad input, missing or rejected
 * credentials; 4 the org's limits could not be read (network, server errors, persistent 429).
 */
import { main as shards } from "../cli/shards";

const [env, ...rest] = process.argv.slice(2);
if (env === undefined || env.startsWith("-")) {
  process.stderr.write("preflight: usage: preflight <environment> [--json]\n");
  process.exitCode = 2;
} else {
  void shards(["--env", env, "--from-org", ...rest], process, process.env, "preflight").then((code) => {
    process.exitCode = code;
  });
}
