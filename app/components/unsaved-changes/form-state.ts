/**
 * Whether a form has unsaved changes, and whether leaving it should ask first. Pure: the admin's
 * forms hold plain data (text, booleans, arrays and objects of them), compared by value.
 */

/** Plain data equal by value: key order does not matter, array order does. */
export function sameFormState(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, index) => sameFormState(item, b[index]));
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left).filter((key) => left[key] !== undefined);
  const otherKeys = Object.keys(right).filter((key) => right[key] !== undefined);
  return keys.length === otherKeys.length && keys.every((key) => Object.hasOwn(right, key) && sameFormState(left[key], right[key]));
}

/** A form is dirty when what it shows differs from what was loaded or last saved. */
export function isDirty<T>(current: T, saved: T): boolean {
  return !sameFormState(current, saved);
}

export interface LeaveAttempt {
  readonly dirty: boolean;
  /** Set while the form itself navigates (after a save or a delete): nothing is lost then. */
  readonly leavingOnPurpose: boolean;
  readonly fromPathname: string;
  readonly toPathname: string;
}

/**
 * Ask before leaving only a dirty form, and only for a different page: a submission to the page
 * itself (Save) and a change of its query (the Recommendations preview) keep the form mounted,
 * so nothing typed is lost.
 */
export function shouldAskBeforeLeaving({ dirty, leavingOnPurpose, fromPathname, toPathname }: LeaveAttempt): boolean {
  return dirty && !leavingOnPurpose && fromPathname !== toPathname;
}

/** A save's outcome as a form sees it (an action's or a fetcher's data). */
export interface SaveOutcome {
  readonly ok: boolean;
}

/**
 * True for a successful save the form has not handled yet. The outcome stays the same object while
 * the page's data reloads for other reasons (a rule added, a preview picked, a poll), so those
 * reloads never count as a save again.
 */
export function isNewSuccessfulSave(outcome: SaveOutcome | undefined, handled: SaveOutcome | undefined): boolean {
  return outcome !== undefined && outcome !== handled && outcome.ok;
}
