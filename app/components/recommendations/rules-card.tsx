import { useFetcher } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, FormLayout, InlineStack, Select, Tag, Text } from "@shopify/polaris";
import { useEffect, useState } from "react";
import type { RecommendationRuleView } from "~/models/recommendation-rule.server";
import { firstError, type ActionResult } from "./action-result";
import { ProductPicker, type PickedProduct } from "./product-picker";

type RuleRow = Omit<RecommendationRuleView, "createdAt"> & { createdAt: string | Date };

function productName(product: { productId: string; title: string | null }) {
  return product.title ?? `Product ${product.productId} (no longer in the catalog)`;
}

/** Pins (always shown first) and exclusions (never shown), everywhere or on one product's widgets. */
export function RulesCard({ rules }: { rules: RuleRow[] }) {
  const fetcher = useFetcher<ActionResult>();
  const [kind, setKind] = useState("pin");
  const [scope, setScope] = useState("all");
  const [anchor, setAnchor] = useState<PickedProduct | null>(null);
  const [product, setProduct] = useState<PickedProduct | null>(null);
  const result = fetcher.state === "idle" ? fetcher.data : undefined;

  useEffect(() => {
    if (result?.ok) setProduct(null);
  }, [result]);

  return (
    <Card>
      <BlockStack gap="400">
        <BlockStack gap="100">
          <Text as="h2" variant="headingMd">
            Pins and exclusions
          </Text>
          <Text as="p" tone="subdued">
            A pinned product comes first (if it is published and in stock); an excluded product is never recommended.
          </Text>
        </BlockStack>
        <fetcher.Form method="post">
          <input type="hidden" name="intent" value="add-rule" />
          <input type="hidden" name="anchorProductId" value={scope === "product" ? (anchor?.productId ?? "") : ""} />
          <input type="hidden" name="productId" value={product?.productId ?? ""} />
          <FormLayout>
            <FormLayout.Group>
              <Select
                label="Rule"
                name="kind"
                options={[
                  { label: "Pin to the top", value: "pin" },
                  { label: "Exclude", value: "exclude" },
                ]}
                value={kind}
                onChange={setKind}
                error={firstError(result, "kind")}
              />
              <Select
                label="Where"
                name="scope"
                options={[
                  { label: "On every product's recommendations", value: "all" },
                  { label: "Only on one product's recommendations", value: "product" },
                ]}
                value={scope}
                onChange={setScope}
                error={firstError(result, "scope")}
              />
            </FormLayout.Group>
            {scope === "product" ? (
              anchor ? (
                <InlineStack gap="200" blockAlign="center">
                  <Text as="span">When the shopper looks at:</Text>
                  <Tag onRemove={() => setAnchor(null)}>{anchor.title}</Tag>
                </InlineStack>
              ) : (
                <ProductPicker label="When the shopper looks at" onPick={setAnchor} error={firstError(result, "anchorProductId")} />
              )
            ) : null}
            {product ? (
              <BlockStack gap="100">
                <InlineStack gap="200" blockAlign="center">
                  <Text as="span">{kind === "pin" ? "Pin:" : "Exclude:"}</Text>
                  <Tag onRemove={() => setProduct(null)}>{product.title}</Tag>
                </InlineStack>
                {firstError(result, "productId") ? (
                  <Text as="p" tone="critical">
                    {firstError(result, "productId")}
                  </Text>
                ) : null}
              </BlockStack>
            ) : (
              <ProductPicker
                label={kind === "pin" ? "Product to pin" : "Product to exclude"}
                onPick={setProduct}
                error={firstError(result, "productId")}
              />
            )}
            <InlineStack align="end">
              <Button submit variant="primary" loading={fetcher.state !== "idle"} disabled={fetcher.state !== "idle"}>
                Add rule
              </Button>
            </InlineStack>
          </FormLayout>
        </fetcher.Form>
        {result && result.intent === "add-rule" ? (
          <Banner tone={result.ok ? "success" : "critical"}>{result.message}</Banner>
        ) : null}
        {rules.length === 0 ? (
          <Text as="p" tone="subdued">
            No rules yet: recommendations come from what your customers buy together.
          </Text>
        ) : (
          <ul style={{ listStyle: "none", margin: 0, padding: 0 }} aria-label="Recommendation rules">
            {rules.map((rule) => (
              <RuleItem key={rule.id} rule={rule} />
            ))}
          </ul>
        )}
      </BlockStack>
    </Card>
  );
}

function RuleItem({ rule }: { rule: RuleRow }) {
  const fetcher = useFetcher<ActionResult>();
  const failed = fetcher.state === "idle" && fetcher.data && !fetcher.data.ok ? fetcher.data.message : null;
  return (
    <li style={{ padding: "8px 0", borderTop: "1px solid var(--p-color-border-secondary)" }}>
      <InlineStack align="space-between" blockAlign="center" gap="200">
        <BlockStack gap="050">
          <InlineStack gap="200" blockAlign="center">
            {rule.kind === "pin" ? <Badge tone="info">Pinned</Badge> : <Badge tone="warning">Excluded</Badge>}
            <Text as="span" variant="bodyMd">
              {productName(rule.product)}
            </Text>
          </InlineStack>
          <Text as="span" variant="bodySm" tone="subdued">
            {rule.anchor ? `On ${productName(rule.anchor)}` : "On every product"}
          </Text>
          {failed ? (
            <Text as="span" variant="bodySm" tone="critical">
              {failed}
            </Text>
          ) : null}
        </BlockStack>
        <fetcher.Form method="post">
          <input type="hidden" name="intent" value="delete-rule" />
          <input type="hidden" name="ruleId" value={rule.id} />
          <Button submit tone="critical" variant="plain" loading={fetcher.state !== "idle"} accessibilityLabel={`Remove rule for ${productName(rule.product)}`}>
            Remove
          </Button>
        </fetcher.Form>
      </InlineStack>
    </li>
  );
}
