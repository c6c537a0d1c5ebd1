import { Badge, BlockStack, Box, Button, Card, InlineStack, Layout, Text } from "@shopify/polaris";

/** One of the theme app extension's blocks, with where the merchant goes to place it (or to see it, in demo mode). */
export interface StorefrontBlockEntry {
  readonly handle: string;
  readonly name: string;
  readonly where: string;
  readonly shows: string;
  readonly action: string;
  /** Null when no link could be built: the block is still listed, to be added from the theme editor by hand. */
  readonly url: string | null;
}

/**
 * The Settings page's list of storefront blocks. Installing the app places nothing in the theme:
 * each block is added by the merchant in the theme editor, which its link opens with the block in
 * place (saved only when the merchant saves there).
 */
export function StorefrontBlocksSection({ blocks, demo }: { blocks: readonly StorefrontBlockEntry[]; demo: boolean }) {
  const description = demo
    ? "The demo shop's storefront already shows every block; in a real shop each link opens the theme editor with the block in place."
    : "Installing Upshelf adds nothing to your theme. Each link opens the theme editor of your live theme with the block in place; it appears to buyers once you save there.";
  return (
    <Layout.AnnotatedSection title="On your storefront" description={description}>
      <Card>
        <BlockStack gap="400">
          {blocks.map((block) => (
            <InlineStack key={block.handle} align="space-between" blockAlign="center" gap="400" wrap={false}>
              <BlockStack gap="100">
                <InlineStack gap="200" blockAlign="center" align="start">
                  <Text as="h3" variant="headingSm">
                    {block.name}
                  </Text>
                  <Badge>{block.where}</Badge>
                </InlineStack>
                <Text as="p" tone="subdued">
                  {block.shows}
                </Text>
              </BlockStack>
              {/* The button keeps its one line; the text beside it wraps instead. */}
              {block.url ? (
                <Box minWidth="fit-content">
                  <Button url={block.url} target="_blank" accessibilityLabel={`${block.action}: ${block.name}`}>
                    {block.action}
                  </Button>
                </Box>
              ) : null}
            </InlineStack>
          ))}
        </BlockStack>
      </Card>
    </Layout.AnnotatedSection>
  );
}
