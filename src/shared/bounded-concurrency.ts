/**
 * Runs `task` over `items` with at most `limit` in flight, keeping the input order in the result.
 * Fan-out to Kaleyra is concurrent (a 25-person visit must not take 25 round trips) but bounded
 * (it must not flood Kaleyra's rate limit either). The first failure rejects the whole run, after
 * the tasks already started have settled, so no side effect is left running behind the caller.
 */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | null = null;
  const worker = async () => {
    while (failure === null && next < items.length) {
      const index = next++;
      try {
        results[index] = await task(items[index] as T, index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure !== null) throw (failure as { error: unknown }).error;
  return results;
}
