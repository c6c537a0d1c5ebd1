import { isRouteErrorResponse, useLocation, useRevalidator } from "@remix-run/react";
import { BlockStack, Button, Card, InlineStack, Page, Text } from "@shopify/polaris";
import { ADMIN_PAGES } from "./admin-pages";

export interface AdminErrorMessage {
  readonly status: number;
  readonly message: string;
}

/**
 * The status and sentence of an error the app threw itself (`jsonError`: `{ error, message }`), or
 * undefined for anything else (Shopify's auth responses, crashes), which is not ours to render.
 */
export function adminErrorMessage(error: unknown): AdminErrorMessage | undefined {
  if (!isRouteErrorResponse(error)) return undefined;
  const data: unknown = error.data;
  if (typeof data !== "object" || data === null) return undefined;
  const { error: code, message } = data as Record<string, unknown>;
  return typeof code === "string" && typeof message === "string" ? { status: error.status, message } : undefined;
}

/** The admin section an address belongs to: where "back" leads from a page that failed. */
export function adminSectionOf(pathname: string): (typeof ADMIN_PAGES)[number] {
  const dashboard = ADMIN_PAGES[0];
  return ADMIN_PAGES.find((page) => page !== dashboard && (pathname === page.url || pathname.startsWith(`${page.url}/`))) ?? dashboard;
}

/**
 * A page whose data did not arrive (the connection dropped, or something other than Upshelf
 * answered): said inside the admin, with a way to ask again and the way back.
 */
export function AdminUnreachablePage() {
  const section = adminSectionOf(useLocation().pathname);
  const revalidator = useRevalidator();
  return (
    <Page title="Upshelf could not be reached" backAction={{ content: section.label, url: section.url }}>
      <Card>
        <BlockStack gap="300">
          <Text as="p">This page did not load: Upshelf could not be reached. Check your connection and try again.</Text>
          <InlineStack gap="200">
            <Button variant="primary" onClick={() => revalidator.revalidate()} loading={revalidator.state !== "idle"}>
              Try again
            </Button>
            <Button url={section.url}>{`Back to ${section.label}`}</Button>
          </InlineStack>
        </BlockStack>
      </Card>
    </Page>
  );
}

export function AdminErrorPage({ status, message }: AdminErrorMessage) {
  const section = adminSectionOf(useLocation().pathname);
  return (
    <Page title={status === 404 ? "Not found" : "This did not work"} backAction={{ content: section.label, url: section.url }}>
      <Card>
        <BlockStack gap="300">
          <Text as="p">{message}</Text>
          <InlineStack>
            <Button url={section.url}>{`Back to ${section.label}`}</Button>
          </InlineStack>
        </BlockStack>
      </Card>
    </Page>
  );
}
