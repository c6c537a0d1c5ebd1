/** True for a unique-constraint violation, whichever driver adapter reported it. */
export function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (code === "P2002") return true;
  return /unique constraint|UNIQUE constraint failed|duplicate key value/i.test(error.message);
}
