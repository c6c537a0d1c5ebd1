import { randomBytes } from "node:crypto";
import { groupFor, type ExperimentGroup } from "~/core/experiments";
import db from "~/db.server";
import { isUniqueViolation } from "./unique-violation";

/**
 * Holdout tests (Experiment) and the visitors counted in them. Every query is scoped by shop; at
 * most one test runs per shop (endedAt null).
 */
export interface ExperimentRow {
  readonly id: number;
  readonly key: string;
  readonly holdoutBasisPoints: number;
  readonly startedAt: Date;
  readonly endedAt: Date | null;
}

const SELECT = { id: true, key: true, holdoutBasisPoints: true, startedAt: true, endedAt: true } as const;

/** The running test, else the one that ended last, else null. */
export async function latestExperiment(shopId: string): Promise<ExperimentRow | null> {
  return db.experiment.findFirst({ where: { shopId }, orderBy: [{ startedAt: "desc" }, { id: "desc" }], select: SELECT });
}

/** The shop's tests, newest first, for choosing whose results to show. */
export async function listExperiments(shopId: string, limit = 50): Promise<ExperimentRow[]> {
  return db.experiment.findMany({ where: { shopId }, orderBy: [{ startedAt: "desc" }, { id: "desc" }], take: limit, select: SELECT });
}

export async function findExperiment(shopId: string, key: string): Promise<ExperimentRow | null> {
  return db.experiment.findFirst({ where: { shopId, key }, select: SELECT });
}

export async function runningExperiment(shopId: string): Promise<ExperimentRow | null> {
  return db.experiment.findFirst({ where: { shopId, endedAt: null }, orderBy: { id: "desc" }, select: SELECT });
}

/** A new key: 8 base-36 characters, so the storefront's `_upshelf_exp` attribute stays short. */
function newExperimentKey(): string {
  return BigInt(`0x${randomBytes(6).toString("hex")}`).toString(36).padStart(8, "0").slice(-8);
}

export type StartExperimentResult = { started: ExperimentRow } | { alreadyRunning: ExperimentRow };

/**
 * Starts a test unless one runs (a double submit starts one, not two: the database's unique index
 * on the running slot refuses the second). The share cannot change while a test runs: visitors
 * would move between groups mid-test.
 */
export async function startExperiment(shopId: string, holdoutBasisPoints: number, now: Date): Promise<StartExperimentResult> {
  const running = await runningExperiment(shopId);
  if (running) return { alreadyRunning: running };
  try {
    const started = await db.experiment.create({ data: { shopId, key: newExperimentKey(), holdoutBasisPoints, startedAt: now }, select: SELECT });
    return { started };
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const winner = await runningExperiment(shopId);
    if (!winner) throw error;
    return { alreadyRunning: winner };
  }
}

/**
 * Ends the running test, if any (only if it is the one named by `key`, when given: a Stop sent
 * from a page opened before that test ended must not end a newer one); its figures stay.
 */
export async function stopExperiment(shopId: string, now: Date, key?: string): Promise<ExperimentRow | null> {
  const running = await runningExperiment(shopId);
  if (!running || (key !== undefined && running.key !== key)) return null;
  await db.experiment.updateMany({ where: { shopId, id: running.id, endedAt: null }, data: { endedAt: now, runningSlot: null } });
  return { ...running, endedAt: now };
}

/**
 * Counts a visitor once in the running test named by `experimentKey`, in the group the server
 * computes from the keys (never the one a request claims). Returns the group, or null when no
 * such test runs (an old page after the test stopped).
 */
export async function recordExperimentVisitor(shopId: string, experimentKey: string, visitorKey: string, now: Date): Promise<ExperimentGroup | null> {
  const experiment = await db.experiment.findFirst({ where: { shopId, key: experimentKey, endedAt: null }, select: SELECT });
  if (!experiment) return null;
  const group = groupFor(experiment.holdoutBasisPoints, experiment.key, visitorKey);
  try {
    await db.experimentVisitor.create({ data: { shopId, experimentId: experiment.id, visitorKey, group, firstSeenAt: now } });
  } catch (error) {
    // Counted before (a second tab, a cleared flag): once is enough.
    if (!isUniqueViolation(error)) throw error;
  }
  return group;
}

/** Visitors counted per group. */
export async function countExperimentVisitors(shopId: string, experimentId: number): Promise<Record<ExperimentGroup, number>> {
  const rows = await db.experimentVisitor.groupBy({ by: ["group"], where: { shopId, experimentId }, _count: { _all: true } });
  const counts: Record<ExperimentGroup, number> = { holdout: 0, shown: 0 };
  for (const row of rows) if (row.group === "holdout" || row.group === "shown") counts[row.group] = row._count._all;
  return counts;
}
