import type { LoaderFunctionArgs } from "@remix-run/node";
import { authenticateAdmin } from "~/services/admin-auth.server";
import { jsonError } from "~/services/http.server";

/** Any admin address no page answers: a "not found" page inside the admin (the layout's boundary). */
export async function loader({ request }: LoaderFunctionArgs) {
  await authenticateAdmin(request);
  throw jsonError(404, "not_found", "Upshelf has no page at this address.");
}

export default function UnknownAdminPage() {
  return null;
}
