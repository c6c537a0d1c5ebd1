import { Card, EmptyState, Page } from "@shopify/polaris";

/** A page whose feature is not built yet: says so plainly instead of showing a broken screen. */
export function ComingSoonPage({ title, description }: { title: string; description: string }) {
  return (
    <Page title={title}>
      <Card>
        <EmptyState heading={`${title} are on the way`} image="">
          <p>{description}</p>
        </EmptyState>
      </Card>
    </Page>
  );
}
