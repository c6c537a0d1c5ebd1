/**
 * The `{% schema %}` of a theme app extension block, read the way the theme editor reads it: the
 * JSON between the tags, and each setting's default as `block.settings` holds it before a merchant
 * changes anything (a setting without a default is blank, a checkbox without one is false).
 */
export interface BlockSetting {
  readonly id: string;
  readonly type: string;
  readonly default?: unknown;
}

export interface BlockSchema {
  readonly name: string;
  readonly target: "section" | "body" | "head" | "compliance_head";
  readonly javascript?: string;
  readonly stylesheet?: string;
  readonly settings?: readonly BlockSetting[];
  readonly enabled_on?: { readonly templates?: readonly string[] };
}

const SCHEMA = /\{%-?\s*schema\s*-?%\}([\s\S]*?)\{%-?\s*endschema\s*-?%\}/;

export class BlockSchemaError extends Error {
  override name = "BlockSchemaError";
}

export function readBlockSchema(source: string, file: string): BlockSchema {
  const match = SCHEMA.exec(source);
  if (!match) throw new BlockSchemaError(`${file} has no {% schema %} tag.`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(match[1] ?? "");
  } catch (error) {
    throw new BlockSchemaError(`${file}: the schema is not valid JSON (${(error as Error).message}).`);
  }
  const schema = parsed as Partial<BlockSchema>;
  if (typeof schema.name !== "string" || !["section", "body", "head", "compliance_head"].includes(String(schema.target))) {
    throw new BlockSchemaError(`${file}: the schema needs a name and a target of section, head, compliance_head or body.`);
  }
  const ids = new Set<string>();
  for (const setting of schema.settings ?? []) {
    if (!setting.id || ids.has(setting.id)) throw new BlockSchemaError(`${file}: setting ids must be present and unique ("${setting.id}").`);
    ids.add(setting.id);
  }
  return schema as BlockSchema;
}

export function settingDefaults(schema: BlockSchema): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  for (const setting of schema.settings ?? []) {
    if (setting.default !== undefined) settings[setting.id] = setting.default;
    else settings[setting.id] = setting.type === "checkbox" ? false : null;
  }
  return settings;
}
