/**
 * Admission control of guest connections (emulator/guest/admission.ts) on a fake clock: the edge of the
 * per-minute window, which refusal wins when several apply, and the live, peak and accepted counts.
 */
import { AdmissionControl, type Admission } from "../../emulator/guest/admission";
import type { GuestLimits } from "../../emulator/guest/limits";

/** Ceilings high enough not to refuse; each test lowers the ones it is about. */
const ROOMY: GuestLimits = {
  concurrentPerDeployment: 1000,
  connectionsPerDeploymentPerMinute: 1000,
  concurrentPerOrg: undefined,
  messagesPerSessionPerSecond: 2,
  connectionsPerSession: 3,
};

/** An AdmissionControl whose clock the test sets (milliseconds). */
function controlAt(start = 1_000_000, options: { maxConnections?: number; timeScale?: number } = {}) {
  const clock = { now: start };
  const control = new AdmissionControl(
    options.maxConnections ?? 15_000,
    options.timeScale ?? 1,
    () => clock.now,
  );
  return { control, clock };
}

function admitted(admission: Admission): () => void {
  if (!admission.admitted) throw new Error(`expected an admission, got a refusal for ${admission.reason}`);
  return admission.release;
}

describe("AdmissionControl: the per-minute connection window", () => {
  const oncePerMinute: GuestLimits = { ...ROOMY, connectionsPerDeploymentPerMinute: 1 };

  it("counts a connection until exactly 60 s have passed, then admits again", () => {
    const { control, clock } = controlAt(1_000_000);
    admitted(control.admit("d", oncePerMinute));
    clock.now = 1_000_000 + 59_999;
    expect(control.admit("d", oncePerMinute)).toEqual({
      admitted: false,
      reason: "connectionRate",
      retryAfterSeconds: 1,
    });
    clock.now = 1_000_000 + 60_000;
    expect(control.admit("d", oncePerMinute).admitted).toBe(true);
  });

  it("says in Retry-After when the oldest connection leaves the window, in whole seconds rounded up", () => {
    const { control, clock } = controlAt(0);
    admitted(control.admit("d", { ...ROOMY, connectionsPerDeploymentPerMinute: 2 }));
    clock.now = 20_000;
    admitted(control.admit("d", { ...ROOMY, connectionsPerDeploymentPerMinute: 2 }));
    clock.now = 30_500;
    expect(control.admit("d", { ...ROOMY, connectionsPerDeploymentPerMinute: 2 })).toEqual({
      admitted: false,
      reason: "connectionRate",
      retryAfterSeconds: 30,
    });
    // The first leaves at 60 s; the second still counts, so one more fits and then none.
    clock.now = 60_000;
    admitted(control.admit("d", { ...ROOMY, connectionsPerDeploymentPerMinute: 2 }));
    expect(control.admit("d", { ...ROOMY, connectionsPerDeploymentPerMinute: 2 })).toMatchObject({
      reason: "connectionRate",
      retryAfterSeconds: 20,
    });
  });

  it("shortens the window by the time scale: at 60, a minute lasts 1 s", () => {
    const { control, clock } = controlAt(5_000, { timeScale: 60 });
    admitted(control.admit("d", oncePerMinute));
    clock.now = 5_999;
    expect(control.admit("d", oncePerMinute)).toMatchObject({ admitted: false, reason: "connectionRate" });
    clock.now = 6_000;
    expect(control.admit("d", oncePerMinute).admitted).toBe(true);
  });

  it("keeps a window per deployment, and counts closed connections in it", () => {
    const { control } = controlAt();
    admitted(control.admit("a", oncePerMinute))();
    expect(control.admit("a", oncePerMinute)).toMatchObject({ reason: "connectionRate" });
    expect(control.admit("b", oncePerMinute).admitted).toBe(true);
  });

  it("does not count refused connections in the window", () => {
    const { control, clock } = controlAt(0);
    const twoAMinute: GuestLimits = {
      ...ROOMY,
      connectionsPerDeploymentPerMinute: 2,
      concurrentPerDeployment: 1,
    };
    const release = admitted(control.admit("d", twoAMinute));
    expect(control.admit("d", twoAMinute)).toMatchObject({ reason: "deploymentConcurrent" });
    release();
    clock.now = 1_000;
    expect(control.admit("d", twoAMinute).admitted).toBe(true);
  });
});

describe("AdmissionControl: which refusal wins", () => {
  it("refuses for the deployment's ceiling when the org's is reached too", () => {
    const { control } = controlAt();
    const limits: GuestLimits = { ...ROOMY, concurrentPerDeployment: 2, concurrentPerOrg: 2 };
    admitted(control.admit("d", limits));
    admitted(control.admit("d", limits));
    expect(control.admit("d", limits)).toEqual({ admitted: false, reason: "deploymentConcurrent" });
    // Another deployment has room of its own, so only the org's ceiling stops it.
    expect(control.admit("e", limits)).toEqual({ admitted: false, reason: "orgConcurrent" });
  });

  it("refuses for the connection rate before either concurrent ceiling", () => {
    const { control } = controlAt();
    const limits: GuestLimits = {
      ...ROOMY,
      connectionsPerDeploymentPerMinute: 1,
      concurrentPerDeployment: 1,
      concurrentPerOrg: 1,
    };
    admitted(control.admit("d", limits));
    expect(control.admit("d", limits)).toMatchObject({ admitted: false, reason: "connectionRate" });
    expect(control.admit("e", limits)).toEqual({ admitted: false, reason: "orgConcurrent" });
  });

  it("refuses at the emulator's own bound before any limit", () => {
    const { control } = controlAt(0, { maxConnections: 1 });
    const limits: GuestLimits = {
      ...ROOMY,
      connectionsPerDeploymentPerMinute: 1,
      concurrentPerDeployment: 1,
      concurrentPerOrg: 1,
    };
    admitted(control.admit("d", limits));
    expect(control.admit("d", limits)).toEqual({ admitted: false, reason: "emulatorCap" });
  });

  it("counts each refusal once, for its deployment and for the org", () => {
    const { control } = controlAt(0, { maxConnections: 3 });
    const limits: GuestLimits = {
      ...ROOMY,
      connectionsPerDeploymentPerMinute: 2,
      concurrentPerDeployment: 1,
      concurrentPerOrg: 2,
    };
    admitted(control.admit("a", limits));
    // Twice the deployment's ceiling; the rate (2 a minute) is not spent, as refusals do not count in it.
    expect(control.admit("a", limits)).toMatchObject({ reason: "deploymentConcurrent" });
    expect(control.admit("a", limits)).toMatchObject({ reason: "deploymentConcurrent" });
    admitted(control.admit("b", limits));
    expect(control.admit("c", limits)).toMatchObject({ reason: "orgConcurrent" });
    control.refuseUnknown();
    const stats = control.snapshot();
    expect(stats.refused).toEqual({
      deploymentConcurrent: 2,
      orgConcurrent: 1,
      connectionRate: 0,
      unknownDeployment: 1,
      originNotAllowed: 0,
      emulatorCap: 0,
      total: 4,
    });
    expect(stats.deployments.a.refused.deploymentConcurrent).toBe(2);
    expect(stats.deployments.c.refused.orgConcurrent).toBe(1);
    expect(stats.deployments.b.refused).toEqual({
      deploymentConcurrent: 0,
      orgConcurrent: 0,
      connectionRate: 0,
      unknownDeployment: 0,
      originNotAllowed: 0,
      emulatorCap: 0,
    });
  });
});

describe("AdmissionControl: live, peak and accepted", () => {
  it("counts an admission at once and a release once, however often it is called", () => {
    const { control } = controlAt();
    const releases = [1, 2, 3].map(() => admitted(control.admit("d", ROOMY)));
    admitted(control.admit("e", ROOMY));
    expect(control.open).toBe(4);
    releases[0]();
    releases[0]();
    expect(control.open).toBe(3);
    const stats = control.snapshot();
    expect([stats.live, stats.peak, stats.accepted]).toEqual([3, 4, 4]);
    expect(stats.deployments.d).toMatchObject({ live: 2, peak: 3, accepted: 3 });
    expect(stats.deployments.e).toMatchObject({ live: 1, peak: 1, accepted: 1 });
  });

  it("frees a slot under the deployment's ceiling when a connection is released", () => {
    const { control } = controlAt();
    const limits: GuestLimits = { ...ROOMY, concurrentPerDeployment: 1 };
    const release = admitted(control.admit("d", limits));
    expect(control.admit("d", limits)).toMatchObject({ reason: "deploymentConcurrent" });
    release();
    expect(control.admit("d", limits).admitted).toBe(true);
    expect(control.snapshot().deployments.d).toMatchObject({ live: 1, peak: 1, accepted: 2 });
  });

  it("restarts peaks from the open connections on reset, and forgets deployments with none", () => {
    const { control } = controlAt();
    const [first, second] = [admitted(control.admit("d", ROOMY)), admitted(control.admit("d", ROOMY))];
    admitted(control.admit("gone", ROOMY))();
    first();
    control.countMessage("d");
    control.reset();
    const stats = control.snapshot();
    expect([stats.live, stats.peak, stats.accepted, stats.messages]).toEqual([1, 1, 0, 0]);
    expect(Object.keys(stats.deployments)).toEqual(["d"]);
    expect(stats.deployments.d).toMatchObject({ live: 1, peak: 1, accepted: 0, messages: 0 });
    second();
    expect(control.snapshot().live).toBe(0);
  });

  it("keeps the rate window across a reset: it is state, not a statistic", () => {
    const { control } = controlAt();
    const oncePerMinute: GuestLimits = { ...ROOMY, connectionsPerDeploymentPerMinute: 1 };
    admitted(control.admit("d", oncePerMinute))();
    control.reset();
    expect(control.admit("d", oncePerMinute)).toMatchObject({ reason: "connectionRate" });
  });
});
