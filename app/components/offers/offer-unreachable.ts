import { keepPageWhenUnreachable, unreachableMessage, UNREACHABLE } from "~/components/unreachable";

const WHAT_FAILED: Record<string, string> = {
  delete: "delete the offer",
  duplicate: "duplicate the offer",
  pause: "pause the offer",
  activate: "activate the offer",
  "bulk-pause": "pause the selected offers",
  "bulk-activate": "activate the selected offers",
  "bulk-delete": "delete the selected offers",
};

/**
 * The offer pages' clientAction (editors and lists): a submission that got no answer from Upshelf
 * is answered in the shape both already read for a refusal: the editor's (`ok: false`, `errors`,
 * no draft to put back, so the form keeps what it holds) and the list's (`error`, `message`).
 */
export const offerClientAction = keepPageWhenUnreachable(({ intent }) => ({
  ok: false as const,
  error: UNREACHABLE,
  message: intent === "save" || !(intent in WHAT_FAILED) ? unreachableMessage("save", "Your changes are still here") : unreachableMessage(WHAT_FAILED[intent] as string),
  errors: {} as Record<string, string>,
  draft: null,
}));
