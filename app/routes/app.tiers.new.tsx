import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { OfferFormPage } from "~/components/offers/offer-form-page";
import { newOfferMeta } from "~/components/page-title";
import { newOfferAction, newOfferLoader } from "~/services/offer-admin-routes.server";
import { offerClientAction } from "~/components/offers/offer-unreachable";

export const meta = () => newOfferMeta("tiers");
export const loader = ({ request }: LoaderFunctionArgs) => newOfferLoader(request, "tiers");
export const action = ({ request }: ActionFunctionArgs) => newOfferAction(request, "tiers");
// A save that never reached Upshelf keeps the page and says so (docs/decisions/0013).
export const clientAction = offerClientAction;

export default function Route() {
  const data = useLoaderData<typeof loader>();
  // Keyed by type so choosing another type on a fresh page starts a fresh form.
  return <OfferFormPage key={data.draft.type} data={data} />;
}
