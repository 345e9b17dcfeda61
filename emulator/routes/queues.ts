/**
 * Routing queues (`/api/v2/routing/queues`) on the generic collection, with the sub-resources the provider's
 * `genesyscloud_routing_queue` manages:
 * - `GET|POST /{id}/wrapupcodes`, `DELETE /{id}/wrapupcodes/{codeId}`: wrap-up codes assigned to the queue;
 * - `GET /{id}/members` (`memberBy=user|group`), `POST /{id}/members[?delete=true]` (≤100 per call),
 *   `PATCH /{id}/members/{memberId}` (ring number).
 * Queue names are unique in the org. `memberGroups` (groups, teams, skill groups: the provider's `groups`,
 * `teams` and `skill_groups`) must name seeded objects of their type; their users are the queue's `memberBy=group`
 * members. `memberCount` counts direct and group members once each and `userMemberCount` the direct ones, as the
 * provider reads them (`getRoutingQueueMembers` pages only when `memberCount` is set).
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { GenesysError, notFound } from "../errors";
import { paginate, type CollectionSpec, type EmulatorStore, type EntityFields } from "../store";
import { parseRequest } from "../validation";
import { listQuery, registerCollectionRoutes } from "./collection";
import { MEMBER_GROUP_SPECS, memberIdsOf, type MemberGroupType } from "./directory";
import { divisionRef, timestamps, type Division } from "./refs";
import { WRAPUP_CODES } from "./wrapupcodes";

export const QUEUES: CollectionSpec = {
  name: "queues",
  basePath: "/api/v2/routing/queues",
  entityLabel: "queue",
};

/** Who and what is assigned to one queue (state key: the queue id). */
interface QueueAssignments {
  readonly wrapupCodeIds: readonly string[];
  readonly members: readonly QueueMemberRecord[];
}

interface QueueMemberRecord {
  readonly id: string;
  readonly ringNumber: number;
}

interface MemberGroupRef {
  readonly id: string;
  readonly type: MemberGroupType;
}

const MAX_PER_CALL = 100;
const entityRef = z.looseObject({ id: z.string().min(1) });

const queueBody = z.looseObject({
  name: z.string().trim().min(1, "name is required").max(255),
  description: z.string().max(1024).optional(),
  division: entityRef.optional(),
  acwSettings: z
    .looseObject({
      wrapupPrompt: z
        .enum(["MANDATORY", "OPTIONAL", "MANDATORY_TIMEOUT", "MANDATORY_FORCED_TIMEOUT", "AGENT_REQUESTED"])
        .optional(),
      timeoutMs: z.number().int().min(0).max(86_400_000).optional(),
    })
    .optional(),
  skillEvaluationMethod: z.enum(["NONE", "BEST", "ALL"]).optional(),
  scoringMethod: z.enum(["TimestampAndPriority", "PriorityOnly"]).optional(),
  memberGroups: z
    .array(z.looseObject({ id: z.string().min(1), type: z.enum(["TEAM", "GROUP", "SKILLGROUP"]) }))
    .optional(),
  routingRules: z.array(z.looseObject({})).max(6).optional(),
  mediaSettings: z.record(z.string(), z.looseObject({})).optional(),
});

const queueParams = z.object({ id: z.string() });
const codeParams = z.object({ id: z.string(), codeId: z.string() });
const memberParams = z.object({ id: z.string(), memberId: z.string() });
const idList = z
  .array(entityRef)
  .min(1, "at least one id is required")
  .max(MAX_PER_CALL, `at most ${MAX_PER_CALL} ids per call`);
const membersQuery = listQuery.extend({
  memberBy: z.enum(["user", "group"]).optional(),
});
const membersPostQuery = z.object({ delete: z.enum(["true", "false"]).default("false") });
const memberPatch = z.looseObject({ ringNumber: z.number().int().min(1).max(6) });

export function registerQueueRoutes(app: FastifyInstance, store: EmulatorStore, home: Division): void {
  const queues = store.collection(QUEUES);
  const codes = store.collection(WRAPUP_CODES);
  const assignments = store.records<QueueAssignments>("queueAssignments");
  const assignedTo = (queueId: string): QueueAssignments =>
    assignments.get(queueId) ?? { wrapupCodeIds: [], members: [] };
  const base = QUEUES.basePath;
  const memberGroupCollections = {
    GROUP: store.collection(MEMBER_GROUP_SPECS.GROUP),
    TEAM: store.collection(MEMBER_GROUP_SPECS.TEAM),
    SKILLGROUP: store.collection(MEMBER_GROUP_SPECS.SKILLGROUP),
  };
  const memberGroupsOf = (queue: Readonly<Record<string, unknown>>): readonly MemberGroupRef[] =>
    (queue.memberGroups as MemberGroupRef[] | undefined) ?? [];
  /** Users who are members through the queue's groups, teams and skill groups (each once, direct members excluded). */
  const groupMembersOf = (queue: Readonly<Record<string, unknown>>, direct: readonly QueueMemberRecord[]) => {
    const ids = new Set<string>();
    for (const ref of memberGroupsOf(queue)) {
      const collection = memberGroupCollections[ref.type];
      if (collection.has(ref.id)) for (const userId of memberIdsOf(collection.get(ref.id))) ids.add(userId);
    }
    for (const member of direct) ids.delete(member.id);
    return [...ids].map((id) => ({ id, ringNumber: 1 }));
  };

  registerCollectionRoutes(app, queues, {
    bodySchema: queueBody as z.ZodType<EntityFields>,
    complete: (fields, existing) => {
      const division = fields.division as { id: string } | undefined;
      if (division && division.id !== home.id) {
        throw new GenesysError(400, "The division {id} does not exist.", { id: division.id });
      }
      for (const ref of memberGroupsOf(fields)) {
        if (!memberGroupCollections[ref.type].has(ref.id)) {
          throw new GenesysError(400, "The member group {id} of type {type} does not exist.", {
            id: ref.id,
            type: ref.type,
          });
        }
      }
      return {
        skillEvaluationMethod: "ALL",
        scoringMethod: "TimestampAndPriority",
        acwSettings: { wrapupPrompt: "MANDATORY_TIMEOUT" },
        ...fields,
        division: divisionRef(home),
        ...timestamps(existing),
      };
    },
    present: (queue) => {
      const direct = assignedTo(queue.id).members;
      const count = direct.length + groupMembersOf(queue, direct).length;
      return { ...queue, memberCount: count, userMemberCount: direct.length, joinedMemberCount: count };
    },
    beforeRemove: (queue) => assignments.delete(queue.id),
  });

  app.get(`${base}/:id/wrapupcodes`, async (request) => {
    const { id } = parseRequest(queueParams, request.params, "path");
    queues.get(id);
    const page = parseRequest(listQuery, request.query, "query");
    const assigned = assignedTo(id)
      .wrapupCodeIds.filter((codeId) => codes.has(codeId))
      .map((codeId) => codes.get(codeId))
      .sort((a, b) => a.name.localeCompare(b.name));
    return paginate(assigned, page, `${base}/${id}/wrapupcodes`);
  });

  app.post(`${base}/:id/wrapupcodes`, async (request) => {
    const { id } = parseRequest(queueParams, request.params, "path");
    queues.get(id);
    const added = parseRequest(idList, request.body, "body").map((ref) => codes.get(ref.id));
    const current = assignedTo(id);
    const wrapupCodeIds = [...new Set([...current.wrapupCodeIds, ...added.map((code) => code.id)])];
    assignments.set(id, { ...current, wrapupCodeIds });
    return added;
  });

  app.delete(`${base}/:id/wrapupcodes/:codeId`, async (request, reply) => {
    const { id, codeId } = parseRequest(codeParams, request.params, "path");
    queues.get(id);
    const current = assignedTo(id);
    if (!current.wrapupCodeIds.includes(codeId)) throw notFound("wrap-up code of this queue", codeId);
    assignments.set(id, { ...current, wrapupCodeIds: current.wrapupCodeIds.filter((c) => c !== codeId) });
    return reply.code(204).send();
  });

  app.get(`${base}/:id/members`, async (request) => {
    const { id } = parseRequest(queueParams, request.params, "path");
    queues.get(id);
    const query = parseRequest(membersQuery, request.query, "query");
    const direct = assignedTo(id).members.map((member) => presentMember(member, "user"));
    const viaGroups = groupMembersOf(queues.get(id), assignedTo(id).members).map((member) =>
      presentMember(member, "group"),
    );
    const members =
      query.memberBy === "user" ? direct : query.memberBy === "group" ? viaGroups : [...direct, ...viaGroups];
    return paginate(members, query, `${base}/${id}/members`);
  });

  app.post(`${base}/:id/members`, async (request, reply) => {
    const { id } = parseRequest(queueParams, request.params, "path");
    queues.get(id);
    const remove = parseRequest(membersPostQuery, request.query, "query").delete === "true";
    const ids = parseRequest(idList, request.body, "body").map((ref) => ref.id);
    const current = assignedTo(id);
    const members = remove
      ? current.members.filter((member) => !ids.includes(member.id))
      : [
          ...current.members,
          ...[...new Set(ids)]
            .filter((userId) => !current.members.some((member) => member.id === userId))
            .map((userId) => ({ id: userId, ringNumber: 1 })),
        ];
    assignments.set(id, { ...current, members });
    return reply.code(204).send();
  });

  app.patch(`${base}/:id/members/:memberId`, async (request, reply) => {
    const { id, memberId } = parseRequest(memberParams, request.params, "path");
    queues.get(id);
    const { ringNumber } = parseRequest(memberPatch, request.body, "body");
    const current = assignedTo(id);
    if (!current.members.some((member) => member.id === memberId)) {
      throw notFound("member of this queue", memberId);
    }
    const members = current.members.map((member) =>
      member.id === memberId ? { ...member, ringNumber } : member,
    );
    assignments.set(id, { ...current, members });
    return reply.code(204).send();
  });
}

function presentMember(member: QueueMemberRecord, memberBy: "user" | "group") {
  const selfUri = `/api/v2/users/${member.id}`;
  return {
    id: member.id,
    user: { id: member.id, selfUri },
    ringNumber: member.ringNumber,
    joined: true,
    memberBy,
    selfUri,
  };
}
