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
      title="Upgrade ladders"
      description="Good, better, best: suggest the next step up with the exact price difference."
    />
  );
}
