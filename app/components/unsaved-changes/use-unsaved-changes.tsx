import { useBlocker, type BlockerFunction } from "@remix-run/react";
import { SaveBar } from "@shopify/app-bridge-react";
import { Modal, Text } from "@shopify/polaris";
import { useCallback, useEffect, useRef, useState, type ReactNode } from "react";
import { isNewSuccessfulSave, shouldAskBeforeLeaving, type SaveOutcome } from "./form-state";

export interface UnsavedChangesOptions {
  /** A unique id on the page for the form's save bar. */
  readonly id: string;
  /** The form differs from what was loaded or last saved. */
  readonly dirty: boolean;
  /** The save bar's Save: saves the form the way its own Save button does. */
  readonly onSave: () => void;
  /** The save bar's Discard: back to what was loaded or last saved. */
  readonly onDiscard: () => void;
  readonly saving?: boolean;
}

export interface UnsavedChanges {
  /** Render it with the form: the save bar (embedded admin) or the "Leave without saving?" dialog. */
  readonly element: ReactNode;
  /** Navigates without asking (after a save or a delete, when nothing is lost): `go` must navigate at once. */
  readonly leaveWithoutPrompt: (go: () => void) => void;
}

interface AppBridgeSaveBarApi {
  leaveConfirmation?: () => Promise<void>;
}

function appBridgeSaveBar(): AppBridgeSaveBarApi | undefined {
  if (typeof window === "undefined" || typeof customElements === "undefined" || !customElements.get("ui-save-bar")) return undefined;
  return (window as { shopify?: { saveBar?: AppBridgeSaveBarApi } }).shopify?.saveBar;
}

/**
 * Guards a form's unsaved changes, the same way on every admin page:
 * - Embedded in Shopify's admin (App Bridge in the page): App Bridge's contextual save bar, shown
 *   while the form is dirty. While it shows, Shopify's admin itself holds back navigation away
 *   from the app; a link inside the app asks with App Bridge's leave confirmation.
 * - Without App Bridge (the demo admin): a link inside the app opens a Polaris "Leave without
 *   saving?" dialog, and reloading or closing the tab asks the browser's own question.
 * Saving or discarding makes the form clean again, which ends all of it. One form per page uses it
 * (a router has one blocker at a time).
 */
export function useUnsavedChanges({ id, dirty, onSave, onDiscard, saving = false }: UnsavedChangesOptions): UnsavedChanges {
  // Known only in the browser, after hydration: the server renders neither the save bar nor the dialog.
  const [saveBarApi, setSaveBarApi] = useState<AppBridgeSaveBarApi | undefined>(undefined);
  useEffect(() => setSaveBarApi(appBridgeSaveBar()), []);
  const embedded = saveBarApi !== undefined;

  // Read when a navigation starts, which may be before React renders again (a save's own navigation).
  const dirtyNow = useRef(dirty);
  dirtyNow.current = dirty;
  const leavingOnPurpose = useRef(false);
  const shouldBlock = useCallback<BlockerFunction>(
    ({ currentLocation, nextLocation }) =>
      shouldAskBeforeLeaving({
        dirty: dirtyNow.current,
        leavingOnPurpose: leavingOnPurpose.current,
        fromPathname: currentLocation.pathname,
        toPathname: nextLocation.pathname,
      }),
    [],
  );
  const blocker = useBlocker(shouldBlock);

  const leaveWithoutPrompt = useCallback((go: () => void) => {
    leavingOnPurpose.current = true;
    try {
      go();
    } finally {
      leavingOnPurpose.current = false;
    }
  }, []);

  useEffect(() => {
    if (blocker.state !== "blocked") return;
    // Saved or discarded while App Bridge's question was open: the merchant stayed, so drop the old attempt.
    if (!dirty) return blocker.reset();
    const confirm = saveBarApi?.leaveConfirmation;
    if (!confirm) return; // the Polaris dialog below asks
    let current = true;
    confirm.call(saveBarApi).then(
      () => current && blocker.proceed(),
      () => current && blocker.reset(),
    );
    return () => {
      current = false;
    };
  }, [blocker, dirty, saveBarApi]);

  // Reloading or closing the tab; in the embedded admin, Shopify's admin asks instead.
  useEffect(() => {
    if (!dirty || embedded) return;
    const ask = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      event.returnValue = "";
    };
    window.addEventListener("beforeunload", ask);
    return () => window.removeEventListener("beforeunload", ask);
  }, [dirty, embedded]);

  const element = embedded ? (
    <SaveBar id={id} open={dirty}>
      {/* App Bridge's Save (variant primary) and Discard; type "button" so they never submit a form around them. */}
      {/* eslint-disable-next-line react/no-unknown-property */}
      <button type="button" variant="primary" onClick={onSave} loading={saving ? "" : undefined} disabled={saving}>
        Save
      </button>
      <button type="button" onClick={onDiscard} disabled={saving}>
        Discard
      </button>
    </SaveBar>
  ) : (
    <Modal
      open={blocker.state === "blocked" && dirty}
      onClose={() => blocker.reset?.()}
      title="Leave without saving?"
      primaryAction={{ content: "Leave", destructive: true, onAction: () => blocker.proceed?.() }}
      secondaryActions={[{ content: "Keep editing", onAction: () => blocker.reset?.() }]}
    >
      <Modal.Section>
        <Text as="p">Your changes on this page have not been saved. Leaving discards them.</Text>
      </Modal.Section>
    </Modal>
  );

  return { element, leaveWithoutPrompt };
}

/**
 * Runs `onSaved` once right after each successful save of the form's own; never for a later reload
 * of the page's data, so fields typed since are kept. `outcome`: the form's action or fetcher data,
 * passed only once the page's data has reloaded with what was saved (navigation or fetcher idle),
 * so `onSaved` sees the saved values.
 */
export function useAfterSuccessfulSave(outcome: SaveOutcome | undefined, onSaved: () => void): void {
  // An outcome already there when the form mounts was handled by whoever rendered it first.
  const handled = useRef(outcome);
  const latest = useRef(onSaved);
  latest.current = onSaved;
  useEffect(() => {
    const isNew = isNewSuccessfulSave(outcome, handled.current);
    handled.current = outcome ?? handled.current;
    if (isNew) latest.current();
  }, [outcome]);
}
