import type { Dispatch, SetStateAction } from "react";
import type { FormValues } from "./settings-form";

/**
 * Props for Polaris TextField and Checkbox bound to a settings form's values by field name
 * (checkboxes post "on" when checked), with each field's first error.
 */
export function settingsFieldBinders(
  values: FormValues,
  setValues: Dispatch<SetStateAction<FormValues>>,
  errorOf: (name: string) => string | undefined,
) {
  return {
    text: (name: string) => ({
      name,
      value: values[name] ?? "",
      onChange: (value: string) => setValues((current) => ({ ...current, [name]: value })),
      error: errorOf(name),
      autoComplete: "off",
    }),
    checkbox: (name: string) => ({
      name,
      value: "on",
      checked: values[name] === "on",
      onChange: (checked: boolean) => setValues((current) => ({ ...current, [name]: checked ? "on" : "" })),
      error: errorOf(name),
    }),
  };
}
