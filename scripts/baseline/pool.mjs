/**
 * Runs async tasks with a bounded number in flight, for the measurement and the check (they run
 * many short Node processes on a 2-core machine). Nothing else.
 */

/**
 * Runs `tasks` with at most `jobs` in flight; results in task order, each settled.
 *
 * @template T
 * @param {Array<() => Promise<T>>} tasks
 * @param {number} jobs
 * @returns {Promise<Array<PromiseSettledResult<T>>>}
 */
export async function pool(tasks, jobs) {
  /** @type {Array<PromiseSettledResult<T>>} */
  const results = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      try {
        results[i] = { status: 'fulfilled', value: await /** @type {() => Promise<T>} */ (tasks[i])() };
      } catch (reason) {
        results[i] = { status: 'rejected', reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, jobs) }, worker));
  return results;
}

/**
 * {@link pool}, then throws the first task's error, if any: for callers that must not go on
 * after a failed task.
 *
 * @template T
 * @param {Array<() => Promise<T>>} tasks
 * @param {number} jobs
 * @returns {Promise<T[]>}
 */
export async function poolOrThrow(tasks, jobs) {
  const results = await pool(tasks, jobs);
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => /** @type {PromiseFulfilledResult<T>} */ (r).value);
}
