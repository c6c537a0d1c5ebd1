import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { AppProvider, Button, Card, FormLayout, Page, Text, TextField } from "@shopify/polaris";
import polarisTranslations from "@shopify/polaris/locales/en.json";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { useState } from "react";
import { getEnv } from "~/env.server";
import { titleMeta } from "~/components/page-title";
import { shopify } from "~/shopify.server";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];
export const meta = () => titleMeta("Log in");

const MESSAGES: Record<string, string> = {
  MISSING_SHOP: "Enter your shop domain to log in.",
  INVALID_SHOP: "Enter a valid shop domain, like my-shop.myshopify.com.",
};

async function login(request: Request) {
  if (getEnv().mode === "demo") throw redirect("/app");
  const result = await shopify().login(request);
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
