import { BlockStack, Button, Card, InlineStack, Text } from "@shopify/polaris";
import { useState } from "react";
import { CUSTOMER_DATA_EXPORT_DAYS } from "~/core/webhook-retention";

export interface CustomerDataRequestRow {
  readonly id: number;
  readonly receivedAt: string;
  readonly customerId: string;
  readonly orders: number;
}

/**
 * Saves a file from an admin route. Through fetch, not a link: in the embedded admin App Bridge
 * adds the session token to the app's own fetch calls, which a plain link would go without.
 */
async function saveFile(url: string): Promise<boolean> {
  const response = await fetch(url);
  if (!response.ok) return false;
  const name = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") ?? "")?.[1] ?? "customer-data.json";
  const link = document.createElement("a");
  link.href = URL.createObjectURL(await response.blob());
  link.download = name;
  link.click();
  URL.revokeObjectURL(link.href);
  return true;
}

/** Customer data requests Shopify sent, each answered with what Upshelf holds, for the merchant to pass on. */
export function CustomerDataCard({ requests, when }: { requests: readonly CustomerDataRequestRow[]; when: (iso: string) => string }) {
  const [failed, setFailed] = useState<number | null>(null);
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingMd">
          Customer data requests
        </Text>
        <Text as="p" tone="subdued">
          When a customer asks your shop for their data, Shopify tells Upshelf, and Upshelf prepares what it holds about them: their
          orders&apos; contents, never names, emails or addresses. Download it here and send it to the customer with the rest of
          your answer. It is kept {CUSTOMER_DATA_EXPORT_DAYS} days after the request arrived; a customer&apos;s redaction removes
          it at once.
        </Text>
        {requests.length === 0 ? (
          <Text as="p">No customer has asked for their data.</Text>
        ) : (
          requests.map((request) => (
            <InlineStack key={request.id} gap="200" blockAlign="center">
              <Text as="span">
                Customer {request.customerId} · {request.orders === 1 ? "1 order" : `${request.orders.toLocaleString("en")} orders`}
              </Text>
              <Text as="span" tone="subdued">
                {when(request.receivedAt)}
              </Text>
              <Button
                size="slim"
                accessibilityLabel={`Download the data of customer ${request.customerId}`}
                onClick={() => void saveFile(`/app/customer-data/${request.id}`).then((saved) => setFailed(saved ? null : request.id))}
              >
                Download
              </Button>
              {failed === request.id ? (
                <Text as="span" tone="critical">
                  It could not be downloaded; reload the page and try again.
                </Text>
              ) : null}
            </InlineStack>
          ))
        )}
      </BlockStack>
    </Card>
  );
}
