import { loadEnvironment } from "../../config/environment";
import { providerConfigureRace, seedFor, startLocalEmulator } from "../../local-deploy";

/** The tail Terraform printed when genesyscloud 1.82.0 crashed configuring its client pool (a CI run, trimmed). */
const CRASH = `Error: Plugin did not respond

The plugin encountered an error, and failed to respond to the
plugin.(*GRPCProvider).ConfigureProvider call. The plugin logs may contain
more details.

Stack trace from the terraform-provider-genesyscloud_v1.82.0 plugin:

fatal error: concurrent map writes
github.com/mypurecloud/terraform-provider-genesyscloud/genesyscloud/provider.setupGateway(0xe8a677db90?, 0xe8a6c93760)
Error: The terraform-provider-genesyscloud_v1.82.0 plugin crashed!`;

describe("local deploy", () => {
  it("recognizes the provider's configure-time crash, which is safe to run again", () => {
    expect(providerConfigureRace(CRASH)).toBe(true);
  });

  it("does not take any other failure for it", () => {
    expect(providerConfigureRace("Error: Plugin did not respond\n...ReadResource call...")).toBe(false);
    expect(providerConfigureRace("Error: creating queue: 400 Bad Request")).toBe(false);
    expect(providerConfigureRace("fatal error: concurrent map writes\n...ApplyResourceChange...")).toBe(
      false,
    );
  });

  it("seeds the org objects the environment names, two demo agents in each", () => {
    const seed = seedFor(loadEnvironment("dev"));
    expect(seed.groups).toEqual([
      {
        name: "Dev Messaging Agents",
        members: ["agent-group-0-1@emulated.example.com", "agent-group-0-2@emulated.example.com"],
      },
    ]);
    expect(seed.users).toHaveLength(2);
    expect(seed.teams).toEqual([]);
    expect(seed.skillGroups).toEqual([]);
  });

  it("starts the emulator with the demo's --time-scale, and at real time without one", async () => {
    const environment = loadEnvironment("dev");
    for (const [timeScale, expected] of [
      [60, 60],
      [undefined, 1],
    ] as const) {
      const { emulator, env } = await startLocalEmulator(environment, { port: 0, timeScale });
      try {
        const stats = (await fetch(`${emulator.url}/__emulator/stats`).then((r) => r.json())) as {
          webMessaging: { limits: { timeScale: number } };
        };
        expect(stats.webMessaging.limits.timeScale).toBe(expected);
        expect(env.GENESYSCLOUD_GATEWAY_PORT).toBe(String(emulator.port));
      } finally {
        await emulator.close();
      }
    }
  });
});
