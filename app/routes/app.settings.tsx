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
      title="Settings"
      description="Widget text, appearance and currency display."
    />
  );
}
