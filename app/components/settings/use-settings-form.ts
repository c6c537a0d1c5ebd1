import { useEffect, useState } from "react";
import { isDirty } from "~/components/unsaved-changes/form-state";
import { useAfterSuccessfulSave } from "~/components/unsaved-changes/use-unsaved-changes";
import type { FormValues } from "./settings-form";

/** What saving a settings form answers; `baseline` comes with a 409 (saved in another tab meanwhile). */
export interface SettingsSaveOutcome {
  ok: boolean;
  message: string;
  fields: Record<string, string[]>;
  values: FormValues;
  baseline?: FormValues;
}

/**
 * The state both settings forms share: what the merchant types, and the baseline it was loaded
 * with, which the form posts so that only changed fields are written. `saved`: the loader's values.
 * `outcome`: the last save's answer; `settled`: the page's data has reloaded since it came.
 */
export function useSettingsForm<O extends SettingsSaveOutcome>(saved: FormValues, outcome: O | undefined, settled: boolean) {
  const [values, setValues] = useState<FormValues>(outcome && !outcome.ok ? outcome.values : saved);
  const [baseline, setBaseline] = useState<FormValues>(outcome?.baseline ?? saved);
  // Discarding hides the last save's outcome: its errors were about the discarded values.
  const [dismissed, setDismissed] = useState<O | undefined>(undefined);
  // Right after a successful save, once the page's data has reloaded, the loader's values are the
  // truth again; the page's data reloading for other reasons leaves what the merchant types alone.
  useAfterSuccessfulSave(settled ? outcome : undefined, () => {
    setValues(saved);
    setBaseline(saved);
  });
  // Saved in another tab meanwhile: the form adopts today's settings as its baseline and shows the
  // merchant's changes over them, so saving again replaces the other tab's values knowingly.
  useEffect(() => {
    if (!outcome?.baseline) return;
    setBaseline(outcome.baseline);
    setValues(outcome.values);
  }, [outcome]);
  return {
    values,
    setValues,
    /** The hidden field's value: what the form was loaded with. */
    baselineJson: JSON.stringify(baseline),
    dirty: isDirty(values, baseline),
    shown: outcome === dismissed ? undefined : outcome,
    discard: () => {
      setValues(baseline);
      setDismissed(outcome);
    },
  };
}
