import { Session } from "@shopify/shopify-api";
import type { SessionStorage } from "@shopify/shopify-app-session-storage";
import db from "~/db.server";
import type { Session as SessionRow } from "~/generated/prisma/sqlite/client";

/**
 * Shopify sessions in our own database, through our Prisma client. Same table and columns as
 * @shopify/shopify-app-session-storage-prisma; we implement the small interface ourselves because
 * that package loads `@prisma/client`'s classic generated client at import, which the JS-engine
 * setup does not generate (docs/decisions/0002).
 */
export class DbSessionStorage implements SessionStorage {
  async storeSession(session: Session): Promise<boolean> {
    const row = toRow(session);
    await db.session.upsert({ where: { id: session.id }, create: row, update: row });
    return true;
  }

  async loadSession(id: string): Promise<Session | undefined> {
    const row = await db.session.findUnique({ where: { id } });
    return row ? toSession(row) : undefined;
  }

  async deleteSession(id: string): Promise<boolean> {
    await db.session.deleteMany({ where: { id } });
    return true;
  }

  async deleteSessions(ids: string[]): Promise<boolean> {
    await db.session.deleteMany({ where: { id: { in: ids } } });
    return true;
  }

  async findSessionsByShop(shop: string): Promise<Session[]> {
    const rows = await db.session.findMany({ where: { shop }, take: 25, orderBy: [{ expires: "desc" }] });
    return rows.map(toSession);
  }
}

function toRow(session: Session): Omit<SessionRow, never> {
  const user = session.onlineAccessInfo?.associated_user;
  return {
    id: session.id,
    shop: session.shop,
    state: session.state,
    isOnline: session.isOnline,
    scope: session.scope ?? null,
    expires: session.expires ?? null,
    accessToken: session.accessToken ?? "",
    userId: user?.id !== undefined ? BigInt(user.id) : null,
    firstName: user?.first_name ?? null,
    lastName: user?.last_name ?? null,
    email: user?.email ?? null,
    accountOwner: user?.account_owner ?? false,
    locale: user?.locale ?? null,
    collaborator: user?.collaborator ?? false,
    emailVerified: user?.email_verified ?? false,
    refreshToken: session.refreshToken ?? null,
    refreshTokenExpires: session.refreshTokenExpires ?? null,
  };
}

function toSession(row: SessionRow): Session {
  return new Session({
    id: row.id,
    shop: row.shop,
    state: row.state,
    isOnline: row.isOnline,
    scope: row.scope ?? undefined,
    expires: row.expires ?? undefined,
    accessToken: row.accessToken,
    refreshToken: row.refreshToken ?? undefined,
    refreshTokenExpires: row.refreshTokenExpires ?? undefined,
    onlineAccessInfo:
      row.userId !== null
        ? {
            expires_in: 0,
            associated_user_scope: row.scope ?? "",
            associated_user: {
              id: Number(row.userId),
              first_name: row.firstName ?? "",
              last_name: row.lastName ?? "",
              email: row.email ?? "",
              account_owner: row.accountOwner,
              locale: row.locale ?? "",
              collaborator: row.collaborator ?? false,
              email_verified: row.emailVerified ?? false,
            },
          }
        : undefined,
  });
}
