/** Whether a (mapped) error is PostgreSQL's unique_violation (23505). */
export function isUniqueViolation(error: unknown): boolean {
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
  return (error as { code?: unknown } | null)?.code === '23505' || cause?.code === '23505';
}
