/**
 * Every kind of background job and the module that runs it (loaded on first use, so the runner
 * does not import the whole app). Add a kind here when adding a job.
 */
import type { JobHandler } from "./jobs.server";

export const JOB_HANDLERS = {
  rebuild_recommendations: async (): Promise<JobHandler> =>
    (await import("./recommendations-rebuild-job.server")).rebuildRecommendationsJob,
} satisfies Record<string, () => Promise<JobHandler>>;

export type JobKind = keyof typeof JOB_HANDLERS;
