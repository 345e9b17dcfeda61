/**
 * The org's people and their groupings, which exist before Terraform runs and which the stacks only reference:
 * users, groups, teams and skill groups. A test creates them with `POST /__emulator/seed` or `--seed-file`
 * (see emulator/seed.ts); the API serves them read-only, as the provider's data sources and queue membership
 * read them:
 * - `POST /api/v2/groups/search` (data source `genesyscloud_group`: one `EXACT` criterion on `name`),
 *   `GET /api/v2/groups` (paged), `GET /api/v2/groups/{id}`, `GET /api/v2/groups/{id}/members`;
 * - `GET /api/v2/teams` (data source `genesyscloud_team`: `name` prefix, cursor paging with `after`),
 *   `GET /api/v2/teams/{id}`, `GET /api/v2/teams/{id}/members`;
 * - `GET /api/v2/routing/skillgroups` (data source `genesyscloud_routing_skill_group`: as teams),
 *   `GET /api/v2/routing/skillgroups/{id}`, `GET /api/v2/routing/skillgroups/{id}/members`;
 * - `GET /api/v2/users` (paged), `GET /api/v2/users/{id}`.
 * Members of a group, team or skill group are stored as user ids (`memberIds`, never shown); queues expand them
 * into `memberBy=group` members (routes/queues.ts).
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { GenesysError } from "../errors";
import {
  paginate,
  type Collection,
  type CollectionSpec,
  type EmulatorStore,
  type StoredEntity,
} from "../store";
import { parseRequest } from "../validation";
import { idParams, listQuery } from "./collection";
import { divisionRef, without, type Division } from "./refs";

export const USERS: CollectionSpec = {
  name: "users",
  basePath: "/api/v2/users",
  entityLabel: "user",
  uniqueNames: false, // people share names; emails are unique (checked when seeding)
};
export const GROUPS: CollectionSpec = { name: "groups", basePath: "/api/v2/groups", entityLabel: "group" };
export const TEAMS: CollectionSpec = { name: "teams", basePath: "/api/v2/teams", entityLabel: "team" };
export const SKILL_GROUPS: CollectionSpec = {
  name: "skillGroups",
  basePath: "/api/v2/routing/skillgroups",
  entityLabel: "skill group",
};

/** The queue `memberGroups[].type` each member collection answers to. */
export const MEMBER_GROUP_SPECS = { GROUP: GROUPS, TEAM: TEAMS, SKILLGROUP: SKILL_GROUPS } as const;
export type MemberGroupType = keyof typeof MEMBER_GROUP_SPECS;

/** The user ids of a group, team or skill group (stored as `memberIds`). */
export function memberIdsOf(entity: StoredEntity): readonly string[] {
  return (entity.memberIds as string[] | undefined) ?? [];
}

/** A user as the Users API shows it. */
export function presentUser(user: StoredEntity): Record<string, unknown> {
  return { ...user, state: user.state ?? "active" };
}

const searchCriterion = z.looseObject({
  type: z.enum(["EXACT", "CONTAINS", "STARTS_WITH"], {
    error: "the emulator searches groups with EXACT, CONTAINS or STARTS_WITH criteria only",
  }),
  fields: z
    .array(z.enum(["name", "id", "description"]))
    .min(1)
    .optional(),
  value: z.string().optional(),
  values: z.array(z.string()).optional(),
});
const groupSearch = z.looseObject({
  query: z.array(searchCriterion).min(1, "query needs at least one criterion"),
  pageSize: z.number().int().min(1).max(100).default(25),
  pageNumber: z.number().int().min(1).default(1),
});
/** Cursor paging of teams and skill groups: `after` is an opaque cursor the previous page's `nextUri` carried. */
const cursorQuery = z.object({
  pageSize: z.coerce.number().int().min(1).max(100).default(25),
  name: z.string().optional(),
  after: z.string().optional(),
  before: z.string().optional(),
  expand: z.string().optional(),
});

export function registerDirectoryRoutes(app: FastifyInstance, store: EmulatorStore, home: Division): void {
  const users = store.collection(USERS);
  const groups = store.collection(GROUPS);
  const teams = store.collection(TEAMS);
  const skillGroups = store.collection(SKILL_GROUPS);

  const presentGroup = (group: StoredEntity) => ({
    ...without(group, "memberIds"),
    memberCount: memberIdsOf(group).length,
  });
  const presentDivided = (entity: StoredEntity) => ({
    ...without(entity, "memberIds"),
    division: divisionRef(home),
    memberCount: memberIdsOf(entity).length,
  });

  // --- users
  app.get(USERS.basePath, async (request) => {
    const listing = users.list(parseRequest(listQuery, request.query, "query"));
    return { ...listing, entities: listing.entities.map(presentUser) };
  });
  app.get(`${USERS.basePath}/:id`, async (request) =>
    presentUser(users.get(parseRequest(idParams, request.params, "path").id)),
  );

  // --- groups
  app.post(`${GROUPS.basePath}/search`, async (request) => {
    const search = parseRequest(groupSearch, request.body, "body");
    const matches = groups
      .snapshot()
      .filter((group) => search.query.every((criterion) => criterionMatches(group, criterion)))
      .sort((a, b) => a.name.localeCompare(b.name));
    const { pageSize, pageNumber } = search;
    return {
      total: matches.length,
      pageCount: Math.ceil(matches.length / pageSize),
      pageSize,
      pageNumber,
      types: ["groups"],
      results: matches.slice((pageNumber - 1) * pageSize, pageNumber * pageSize).map(presentGroup),
    };
  });
  app.get(GROUPS.basePath, async (request) => {
    const listing = groups.list(parseRequest(listQuery, request.query, "query"));
    return { ...listing, entities: listing.entities.map(presentGroup) };
  });
  app.get(`${GROUPS.basePath}/:id`, async (request) =>
    presentGroup(groups.get(parseRequest(idParams, request.params, "path").id)),
  );
  registerMemberRoute(app, groups, users);

  // --- teams and skill groups: name-prefix search with cursor paging
  for (const collection of [teams, skillGroups]) {
    const base = collection.spec.basePath;
    app.get(base, async (request) => {
      const query = parseRequest(cursorQuery, request.query, "query");
      const prefix = query.name?.toLowerCase() ?? "";
      const matches = collection
        .snapshot()
        .filter((entity) => entity.name.toLowerCase().startsWith(prefix))
        .sort((a, b) => a.name.localeCompare(b.name));
      const start = query.after === undefined ? 0 : decodeCursor(query.after);
      const entities = matches.slice(start, start + query.pageSize).map(presentDivided);
      const end = start + entities.length;
      const uri = (cursor?: string) =>
        `${base}?pageSize=${query.pageSize}${query.name ? `&name=${encodeURIComponent(query.name)}` : ""}${
          cursor ? `&after=${cursor}` : ""
        }`;
      return {
        entities,
        selfUri: uri(query.after),
        ...(end < matches.length ? { nextUri: uri(encodeCursor(end)) } : {}),
      };
    });
    app.get(`${base}/:id`, async (request) =>
      presentDivided(collection.get(parseRequest(idParams, request.params, "path").id)),
    );
    registerMemberRoute(app, collection, users);
  }
}

/** `GET {base}/{id}/members`: the users of a group, team or skill group, paged. */
function registerMemberRoute(app: FastifyInstance, owners: Collection, users: Collection): void {
  const base = owners.spec.basePath;
  app.get(`${base}/:id/members`, async (request) => {
    const owner = owners.get(parseRequest(idParams, request.params, "path").id);
    const query = parseRequest(listQuery.omit({ name: true }), request.query, "query");
    const members = memberIdsOf(owner)
      .filter((id) => users.has(id))
      .map((id) => presentUser(users.get(id)));
    return paginate(members, query, `${base}/${owner.id}/members`);
  });
}

function criterionMatches(group: StoredEntity, criterion: z.infer<typeof searchCriterion>): boolean {
  const wanted = [...(criterion.value === undefined ? [] : [criterion.value]), ...(criterion.values ?? [])];
  if (wanted.length === 0) {
    throw new GenesysError(400, "A search criterion needs a value or values.");
  }
  return (criterion.fields ?? ["name"]).some((field) => {
    const actual = String(group[field] ?? "").toLowerCase();
    return wanted.some((value) => {
      const needle = value.toLowerCase();
      if (criterion.type === "EXACT") return actual === needle;
      if (criterion.type === "STARTS_WITH") return actual.startsWith(needle);
      return actual.includes(needle);
    });
  });
}

function encodeCursor(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString("base64url");
}

function decodeCursor(cursor: string): number {
  const match = /^offset:(\d+)$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  if (!match) throw new GenesysError(400, "The cursor {cursor} is not valid.", { cursor });
  return Number(match[1]);
}
