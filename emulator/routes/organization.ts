/** `GET /api/v2/organizations/me` and `GET /api/v2/authorization/products`: what the Terraform provider reads at start-up. */
import type { FastifyInstance } from "fastify";

export interface EmulatedOrg {
  readonly id: string;
  readonly name: string;
  readonly defaultCountryCode: string;
}

export function registerOrganizationRoutes(app: FastifyInstance, org: EmulatedOrg): void {
  app.get("/api/v2/organizations/me", async () => ({
    id: org.id,
    name: org.name,
    defaultCountryCode: org.defaultCountryCode,
    defaultLanguage: "en-us",
    thirdPartyOrgName: org.name.toLowerCase().replace(/[^a-z0-9]+/g, "-"),
    domain: "emulator.local",
    state: "active",
    version: 1,
    selfUri: `/api/v2/organizations/${org.id}`,
  }));

  const products = ["messaging", "webMessaging", "dataActions", "architect"].map((id) => ({ id }));
  app.get("/api/v2/authorization/products", async () => ({
    entities: products,
    pageSize: products.length,
    pageNumber: 1,
    total: products.length,
    pageCount: 1,
  }));
}
