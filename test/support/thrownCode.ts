/**
 * The `code` of the `type` error that `f` throws, or undefined when it throws none; an error of
 * any other type is thrown on, so a test never mistakes a crash for the error it expects.
 */
export function thrownCode<C>(
  f: () => unknown,
  type: new (...args: never[]) => { readonly code: C },
): C | undefined {
  try {
    f();
  } catch (error) {
    if (error instanceof type) return error.code;
    throw error;
  }
  return undefined;
}
