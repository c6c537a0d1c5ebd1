import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { AppProvider, Button, Card, FormLayout, Page, Text, TextField } from "@shopify/polaris";
import polarisTranslations from "@shopify/polaris/locales/en.json";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { useState } from "react";
import { getEnv } from "~/env.server";
import { titleMeta } from "~/components/page-title";
import { readBodyBytes } from "~/services/http.server";
import { shopify } from "~/shopify.server";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];
export const meta = () => titleMeta("Log in");

const MESSAGES: Record<string, string> = {
  MISSING_SHOP: "Enter your shop domain to log in.",
  INVALID_SHOP: "Enter a valid shop domain, like my-shop.myshopify.com.",
};

/**
 * The login form sends one shop domain. Shopify's `login` reads a POSTed form whole, before it
 * knows anything about the sender, so the body is bounded here first: anyone can post to this page.
 */
export const MAX_LOGIN_BODY_BYTES = 8 * 1024;

async function boundedBody(request: Request): Promise<Request> {
  if (request.method === "GET" || request.method === "HEAD") return request;
  const body = await readBodyBytes(request, {
    maxBytes: MAX_LOGIN_BODY_BYTES,
    tooLarge: () => new Response(`The login form is limited to ${MAX_LOGIN_BODY_BYTES} bytes.`, { status: 413 }),
  });
  const headers = new Headers(request.headers);
  headers.delete("Content-Length");
  return new Request(request.url, { method: request.method, headers, body });
}

async function login(request: Request) {
  if (getEnv().mode === "demo") throw redirect("/app");
  const result = await shopify().login(await boundedBody(request));
  return { error: result.shop ? MESSAGES[result.shop] ?? result.shop : undefined };
}

export const loader = async ({ request }: LoaderFunctionArgs) => login(request);
export const action = async ({ request }: ActionFunctionArgs) => login(request);

export default function Login() {
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [shop, setShop] = useState("");
  const error = actionData?.error ?? loaderData?.error;
  return (
    <AppProvider i18n={polarisTranslations}>
      <Page narrowWidth>
        <Card>
          <Form method="post">
            <FormLayout>
              <Text variant="headingMd" as="h1">
                Log in to Upshelf
              </Text>
              <TextField
                type="text"
                name="shop"
                label="Shop domain"
                helpText="example.myshopify.com"
                value={shop}
                onChange={setShop}
                autoComplete="on"
                error={error}
              />
              <Button submit>Log in</Button>
            </FormLayout>
          </Form>
        </Card>
      </Page>
    </AppProvider>
  );
}
