import type { LoaderFunctionArgs } from "@remix-run/node";
import { ComingSoonPage } from "~/components/coming-soon-page";
import { authenticateAdmin } from "~/services/admin-auth.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await authenticateAdmin(request);
  return null;
}

export default function Page() {
  return (
    <ComingSoonPage
      title="Tiered discounts"
      description="Quantity breaks and spend tiers, with the progress bar buyers see in the cart."
    />
  );
}
