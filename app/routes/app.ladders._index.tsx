import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { OfferIndexPage } from "~/components/offers/offer-index-page";
import { offerIndexMeta } from "~/components/page-title";
import { offerIndexAction, offerIndexLoader } from "~/services/offer-admin-routes.server";
import { offerClientAction } from "~/components/offers/offer-unreachable";

export const meta = () => offerIndexMeta("ladders");
export const loader = ({ request }: LoaderFunctionArgs) => offerIndexLoader(request, "ladders");
export const action = ({ request }: ActionFunctionArgs) => offerIndexAction(request, "ladders");
// A save that never reached Upshelf keeps the page and says so (docs/decisions/0013).
export const clientAction = offerClientAction;

export default function Route() {
  return <OfferIndexPage data={useLoaderData<typeof loader>()} />;
}
