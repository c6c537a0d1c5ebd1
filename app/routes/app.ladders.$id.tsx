import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, type MetaFunction } from "@remix-run/react";
import { OfferFormPage } from "~/components/offers/offer-form-page";
import { editOfferMeta } from "~/components/page-title";
import { editOfferAction, editOfferLoader } from "~/services/offer-admin-routes.server";
import { offerClientAction } from "~/components/offers/offer-unreachable";

export const loader = ({ request, params }: LoaderFunctionArgs) => editOfferLoader(request, "ladders", params);
export const meta: MetaFunction<typeof loader> = ({ data }) => editOfferMeta("ladders", data);
export const action = ({ request, params }: ActionFunctionArgs) => editOfferAction(request, "ladders", params);
// A save that never reached Upshelf keeps the page and says so (docs/decisions/0013).
export const clientAction = offerClientAction;

export default function Route() {
  const data = useLoaderData<typeof loader>();
  return <OfferFormPage key={data.offerId} data={data} />;
}
