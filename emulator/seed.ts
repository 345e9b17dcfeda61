/**
 * Seeding: org objects that exist before Terraform runs and that the stacks only reference (users, groups, teams,
 * skill groups). Sent as `POST /__emulator/seed` or loaded with `--seed-file`:
 *
 *   {
 *     "users":       [{ "name": "Ada Agent", "email": "ada@example.com" }],
 *     "groups":      [{ "name": "E2E Agents", "members": ["ada@example.com"] }],
 *     "teams":       [{ "name": "E2E Team", "members": ["ada@example.com"] }],
 *     "skillGroups": [{ "name": "E2E Skills", "members": ["ada@example.com"] }]
 *   }
 *
 * Every object may carry a fixed `id` (a test that must know ids in advance); otherwise one is generated.
 * Members name users by email or id, from this seed or an earlier one. The whole seed is checked before anything
 * is written, so a bad seed changes nothing. The answer maps each seeded object to its id:
 * `{ users: { "ada@example.com": id }, groups: { "E2E Agents": id }, teams: {...}, skillGroups: {...} }`.
 */
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { GenesysError } from "./errors";
import { GROUPS, SKILL_GROUPS, TEAMS, USERS } from "./routes/directory";
import { timestamps } from "./routes/refs";
import type { EmulatorStore } from "./store";

const id = z.string().min(1).max(128).optional();
const seedUser = z.object({
  id,
  name: z.string().trim().min(1, "a user needs a name"),
  email: z.email("a user needs an email address"),
});
const seedGrouping = z.object({
  id,
  name: z.string().trim().min(1, "a name is required"),
  description: z.string().optional(),
  /** Users by email or id. */
  members: z.array(z.string().min(1)).default([]),
});

export const seedSchema = z.object({
  users: z.array(seedUser).default([]),
  groups: z.array(seedGrouping).default([]),
  teams: z.array(seedGrouping).default([]),
  skillGroups: z.array(seedGrouping).default([]),
});
export type Seed = z.input<typeof seedSchema>;

/** Ids of the seeded objects: users by email, the others by name. */
export interface SeedResult {
  readonly users: Record<string, string>;
  readonly groups: Record<string, string>;
  readonly teams: Record<string, string>;
  readonly skillGroups: Record<string, string>;
}

/** Checks and writes a seed (already parsed by `seedSchema`); throws a Genesys 400 naming the first problem. */
export function applySeed(store: EmulatorStore, seed: z.output<typeof seedSchema>): SeedResult {
  const users = store.collection(USERS);
  const groupings = {
    groups: store.collection(GROUPS),
    teams: store.collection(TEAMS),
    skillGroups: store.collection(SKILL_GROUPS),
  };
  const bad = (message: string, params: Record<string, string>) => new GenesysError(400, message, params);

  // Check everything first: emails, names and ids free, members resolvable.
  const newUsers = seed.users.map((user) => ({ ...user, id: user.id ?? randomUUID() }));
  const userIdOf = new Map<string, string>();
  for (const user of users.snapshot()) {
    userIdOf.set(user.id, user.id);
    if (typeof user.email === "string") userIdOf.set(user.email.toLowerCase(), user.id);
  }
  for (const user of newUsers) {
    if (userIdOf.has(user.email.toLowerCase()) || userIdOf.has(user.id)) {
      throw bad("A user with the email {email} or id {id} already exists.", {
        email: user.email,
        id: user.id,
      });
    }
    userIdOf.set(user.id, user.id);
    userIdOf.set(user.email.toLowerCase(), user.id);
  }
  const planned = Object.entries(groupings).map(([kind, collection]) => {
    const entries = seed[kind as keyof typeof groupings];
    const names = new Set<string>();
    const resolved = entries.map((entry) => {
      const key = entry.name.toLowerCase();
      if (names.has(key) || collection.find((e) => e.name.toLowerCase() === key)) {
        throw bad("A {entity} named {name} already exists.", {
          entity: collection.spec.entityLabel,
          name: entry.name,
        });
      }
      names.add(key);
      if (entry.id !== undefined && collection.has(entry.id)) {
        throw bad("A {entity} with id {id} already exists.", {
          entity: collection.spec.entityLabel,
          id: entry.id,
        });
      }
      const memberIds = entry.members.map((member) => {
        const userId = userIdOf.get(member.toLowerCase()) ?? userIdOf.get(member);
        if (!userId) {
          throw bad("The {entity} {name} names the member {member}, which is no seeded user (email or id).", {
            entity: collection.spec.entityLabel,
            name: entry.name,
            member,
          });
        }
        return userId;
      });
      return { ...entry, id: entry.id ?? randomUUID(), memberIds: [...new Set(memberIds)] };
    });
    return { kind: kind as keyof typeof groupings, collection, resolved };
  });

  // Then write.
  const result: SeedResult = { users: {}, groups: {}, teams: {}, skillGroups: {} };
  for (const user of newUsers) {
    users.create({ name: user.name, email: user.email, state: "active", ...timestamps(undefined) }, user.id);
    result.users[user.email] = user.id;
  }
  for (const { kind, collection, resolved } of planned) {
    for (const entry of resolved) {
      const fields = {
        name: entry.name,
        ...(entry.description === undefined ? {} : { description: entry.description }),
        ...(kind === "groups"
          ? { type: "official", state: "active", visibility: "public", rulesVisible: true }
          : {}),
        memberIds: entry.memberIds,
        ...timestamps(undefined),
      };
      collection.create(fields, entry.id);
      result[kind][entry.name] = entry.id;
    }
  }
  return result;
}
