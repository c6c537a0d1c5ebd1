import { Text } from "@shopify/polaris";

/** The quiet note a self-refreshing page shows while its refreshes get no answer (`useRefreshWhile`). */
export function UpdatesPaused({ message }: { message: string | null }) {
  return message ? (
    <Text as="p" tone="subdued">
      {message}
    </Text>
  ) : null;
}
