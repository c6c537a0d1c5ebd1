import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { OfferFormPage } from "~/components/offers/offer-form-page";
import { newOfferMeta } from "~/components/page-title";
import { newOfferAction, newOfferLoader } from "~/services/offer-admin-routes.server";

export const meta = () => newOfferMeta("tiers");
export const loader = ({ request }: LoaderFunctionArgs) => newOfferLoader(request, "tiers");
export const action = ({ request }: ActionFunctionArgs) => newOfferAction(request, "tiers");

export default function Route() {
  const data = useLoaderData<typeof loader>();
  // Keyed by type so choosing another type on a fresh page starts a fresh form.
  return <OfferFormPage key={data.draft.type} data={data} />;
}
